// The version the daemon reports (LSP serverInfo, the control API, HAR exports): package.json's, by hand,
// since transpiled tests cannot import package.json from where they run.
export const VERSION = '0.1.0';
