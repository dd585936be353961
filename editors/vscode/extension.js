// The client: starts `manaknight lsp` (the setting manaknight.command, default `manaknight` on PATH)
// for .mnk files and lets vscode-languageclient speak LSP to it over stdio.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('manaknight').get('command') || 'manaknight';
  const server = { command, args: ['lsp'], transport: TransportKind.stdio };
  client = new LanguageClient('manaknight', 'Manaknight', { run: server, debug: server }, {
    documentSelector: [{ scheme: 'file', language: 'manaknight' }],
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
