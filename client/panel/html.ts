// The panel page's HTML: a CSP of default-src 'none', the one script by nonce, styles and fonts only from the
// extension's own files (webview.cspSource), nothing remote. The page builds itself from dist/panel.js.
import crypto from 'node:crypto';

export interface PageAssets {
  /** webview.cspSource: the origin VS Code serves the extension's files from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
}

export function newNonce(): string {
  return crypto.randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${cspSource}`, `font-src ${cspSource}`, `img-src ${cspSource} data:`].join('; ');
}

export function panelHtml(assets: PageAssets, nonce: string = newNonce()): string {
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(assets.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(assets.styleUri)}">
<title>Handshake: Message Panel</title>
</head>
<body>
<main id="app" aria-busy="true"></main>
<script nonce="${attr(nonce)}" src="${attr(assets.scriptUri)}"></script>
</body>
</html>`;
}
