/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // The Express server (security headers, static files, job loop) is compiled with the app
  // into build/index.js, so the top level stays the product owner's.
  server: './app/server.ts',
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  // Tests and parallel builds may point the output elsewhere.
  serverBuildPath: process.env.ENKATNAV_BUILD_DIR ? `${process.env.ENKATNAV_BUILD_DIR}/index.js` : 'build/index.js',
  assetsBuildDirectory: process.env.ENKATNAV_BUILD_DIR ? `${process.env.ENKATNAV_BUILD_DIR}/public` : 'public/build',
  publicPath: '/build/',
  ignoredRouteFiles: ['**/.*', '**/*.test.*'],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
  },
};
