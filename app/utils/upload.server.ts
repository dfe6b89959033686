import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from '@remix-run/node';

/** An upload over the size limit; `maxBytes` is the limit. */
export class UploadTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${maxBytes} bytes`);
  }
}

/**
 * Reads a multipart form with every part (file or field) held in memory up to `maxBytes`;
 * larger uploads throw UploadTooLargeError before the whole body is read.
 * @example const form = await readUploadForm(request, 5 * 1024 * 1024)
 */
export async function readUploadForm(request: Request, maxBytes: number): Promise<FormData> {
  const declared = Number(request.headers.get('Content-Length') ?? 0);
  if (declared > maxBytes + 64 * 1024) throw new UploadTooLargeError(maxBytes);
  try {
    return await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: maxBytes }));
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) throw new UploadTooLargeError(maxBytes);
    throw e;
  }
}
