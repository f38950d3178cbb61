import { escapeHtml } from './html-escape.js';

/**
 * The opening of every page meshbench writes (report, history, sizing), up to and including <body>: one
 * place for the doctype, charset, viewport and generator, so the pages cannot drift apart.
 */
export function htmlDocumentStart(o: { title: string; generator: string; css: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(o.generator)}">
<title>${escapeHtml(o.title)}</title>
<style>${o.css}</style>
</head>
<body>`;
}
