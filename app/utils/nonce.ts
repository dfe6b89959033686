import { createContext, useContext } from 'react';

/** The CSP nonce of the current request, provided by entry.server. Empty in the browser. */
export const NonceContext = createContext('');
export const useNonce = () => useContext(NonceContext);
