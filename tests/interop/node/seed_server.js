// Node `ws` server for tests/interop/test_ws_seed_example.py.
//
//   node seed_server.js '<json config>'   prints {"port":N}, then {"event":"close",...} per client
//
// For each connection: send config.messages (a string is a text message, an array of byte values
// a binary one), then a ping; once the pong is back, close with 1000 "done". Exits when its stdin
// closes (the test's teardown), so it can never outlive the test.
'use strict';

const fs = require('fs');
const http = require('http');
const https = require('https');
const WebSocket = require('ws');

const config = JSON.parse(process.argv[2] || '{}');
const base = config.cert
  ? https.createServer({ key: fs.readFileSync(config.key), cert: fs.readFileSync(config.cert) })
  : http.createServer();
const wss = new WebSocket.Server({ server: base });

wss.on('connection', (ws) => {
  for (const m of config.messages || []) {
    if (typeof m === 'string') ws.send(m);
    else ws.send(Buffer.from(m), { binary: true });
  }
  ws.once('pong', () => ws.close(1000, 'done'));
  ws.ping('read?');
  ws.on('close', (code) => process.stdout.write(JSON.stringify({ event: 'close', code }) + '\n'));
});
base.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: base.address().port }) + '\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
