// The baseline of the gateway benchmark: the simplest fast proxy a user would write. node:http in,
// an undici Pool out, the JSON request parsed and re-stringified, a JSON answer parsed and
// re-stringified, a streamed answer written chunk by chunk as it arrives. No validation, no
// logging, on purpose: what it costs is the floor of one Node hop. Every protocol alike (chat,
// messages, responses): the request goes to the same path on the upstream. Env: UPSTREAM_URL, PORT.
import { createServer } from 'node:http';
import { Pool } from 'undici';

const pool = new Pool(process.env.UPSTREAM_URL ?? 'http://127.0.0.1:4001', { connections: 64 });

const server = createServer((req, res) => {
  void (async () => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { stream?: boolean };
      const upstream = await pool.request({
        method: 'POST',
        path: req.url ?? '/',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      res.writeHead(upstream.statusCode, {
        'content-type': String(upstream.headers['content-type']),
      });
      if (body.stream !== true) return res.end(JSON.stringify(await upstream.body.json()));
      for await (const chunk of upstream.body) res.write(chunk);
      res.end();
    } catch {
      if (res.headersSent) res.destroy();
      else res.writeHead(502).end();
    }
  })();
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? '4000'), '127.0.0.1');
