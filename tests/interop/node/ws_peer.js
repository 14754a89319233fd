// Node `ws` peer for netpeer's WebSocket interop tests (tests/interop/test_ws_node.py).
//
//   node ws_peer.js server '<json config>'   echo server; prints {"event":"listening","port":N}
//   node ws_peer.js client '<json config>'   scripted client (messages from a JSON file)
//
// Every line on stdout is one JSON event. The server echoes each message with its type; a text
// message "!close <code> <reason>" makes it close with that code and reason. It exits when its
// stdin closes (the test's teardown), so it can never outlive the test.
'use strict';

const fs = require('fs');
const http = require('http');
const https = require('https');
const WebSocket = require('ws');

const mode = process.argv[2];
const config = JSON.parse(process.argv[3] || '{}');

function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

function runServer() {
  const base = config.tls
    ? https.createServer({ key: fs.readFileSync(config.key), cert: fs.readFileSync(config.cert) })
    : http.createServer();
  const wss = new WebSocket.Server({
    server: base,
    perMessageDeflate: !!config.deflate,
    maxPayload: config.maxPayload || 4 * 1024 * 1024,
    handleProtocols: (protocols) => {
      for (const p of protocols) if ((config.protocols || []).includes(p)) return p;
      return false;
    },
  });
  wss.on('headers', (headers) => {
    for (const [name, value] of Object.entries(config.headers || {})) headers.push(`${name}: ${value}`);
  });
  wss.on('connection', (ws, req) => {
    emit({
      event: 'connection',
      path: req.url,
      headers: req.headers,
      protocol: ws.protocol,
      extensions: ws.extensions,
    });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        const text = data.toString('utf8');
        if (text.startsWith('!close ')) {
          const rest = text.slice(7);
          const space = rest.indexOf(' ');
          ws.close(Number(rest.slice(0, space)), rest.slice(space + 1));
          return;
        }
      }
      ws.send(data, { binary: isBinary });
    });
    ws.on('close', (code, reason) => emit({ event: 'close', code, reason: reason.toString('utf8') }));
    ws.on('error', (err) => emit({ event: 'error', message: String(err && err.message) }));
  });
  base.listen(0, config.host || '127.0.0.1', () => emit({ event: 'listening', port: base.address().port }));
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

function runClient() {
  const messages = config.messages ? JSON.parse(fs.readFileSync(config.messages, 'utf8')) : [];
  const options = {
    perMessageDeflate: !!config.deflate,
    maxPayload: config.maxPayload || 4 * 1024 * 1024,
    headers: config.headers || {},
  };
  if (config.ca) options.ca = fs.readFileSync(config.ca);
  const ws = new WebSocket(config.url, config.protocols || [], options);
  const timer = setTimeout(() => { emit({ event: 'timeout' }); process.exit(3); }, config.timeout || 15000);
  let index = 0;
  function next() {
    if (index < messages.length) {
      const m = messages[index];
      if (m.t === 'text') ws.send(m.d, { binary: false });
      else ws.send(Buffer.from(m.d, 'base64'), { binary: true });
      return;
    }
    emit({ event: 'echoed', count: index });
    if (config.close) ws.close(config.close[0], config.close[1]);
    else if (config.send) ws.send(config.send);
  }
  ws.on('unexpected-response', (req, res) => {
    emit({ event: 'unexpected-response', status: res.statusCode });
    clearTimeout(timer);
    process.exit(0);
  });
  ws.on('upgrade', (res) => emit({ event: 'upgrade', headers: res.headers }));
  ws.on('open', () => {
    emit({ event: 'open', protocol: ws.protocol, extensions: ws.extensions });
    next();
  });
  ws.on('message', (data, isBinary) => {
    const m = messages[index];
    const same = m && (m.t === 'text'
      ? !isBinary && data.toString('utf8') === m.d
      : isBinary && Buffer.compare(data, Buffer.from(m.d, 'base64')) === 0);
    if (!same) {
      emit({ event: 'mismatch', index, isBinary, length: data.length });
      process.exit(4);
    }
    index += 1;
    next();
  });
  ws.on('close', (code, reason) => {
    emit({ event: 'close', code, reason: reason.toString('utf8') });
    clearTimeout(timer);
    process.exit(0);
  });
  ws.on('error', (err) => emit({ event: 'error', message: String(err && err.message) }));
}

if (mode === 'server') runServer();
else if (mode === 'client') runClient();
else { process.stderr.write('usage: node ws_peer.js server|client <json>\n'); process.exit(2); }
