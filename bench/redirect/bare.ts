/** The peer of the redirect benchmark: a bare node:http server answering every request with a 302 (no capture). */
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const location = 'https://shop.example/book?clout_id=AAAAAAAAAAAAAAAAAAAAAA';
const server = createServer((_req, res) => {
  res.writeHead(302, { location, 'cache-control': 'no-store', 'content-length': '0' });
  res.end();
});
server.listen(port, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : port}` }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
