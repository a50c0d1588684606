/**
 * The redirect: `GET|HEAD /:key` → 302 to the link's (chosen variant's) destination with a fresh click id, and a
 * click record pushed to the buffer. It runs in front of Fastify's router (a plain node:http listener) for speed;
 * anything it does not recognise falls through to Fastify. Unknown keys are never redirected anywhere.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Rng } from '../../domain/index.js';
import type { ServerConfig } from '../config.js';
import type { LinkCache } from '../links/cache.js';
import { pickTarget, type CompiledLink } from '../links/compiled.js';
import type { ClickBuffer } from './buffer.js';
import { classifyUa, countryFrom, referrerHost, type UaInfo } from './classify.js';
import { newClickId } from './ids.js';
import { utcDay, VisitorHasher } from './visitor.js';

/**
 * What one (keep-alive) connection last resolved: its peer IP (`remoteAddress` asks the kernel each time), and the
 * UA facts and visitor id of its last User-Agent on its last UTC day — browsers send one UA on a connection, so the
 * UA lookup and the visitor HMAC run once per connection instead of once per request.
 */
interface ConnectionMemo {
  ip: string;
  ua: string | undefined;
  day: number;
  info: UaInfo;
  visitor: string;
}

/** Captures clicks for one server. */
export class Redirector {
  private readonly visitors = new VisitorHasher();
  private readonly rng: Rng;
  private readonly countryHeader: string | undefined;
  /**
   * The memo of each open connection, kept beside its socket rather than on it: a property added to Node's sockets
   * gives them a second hidden class, one more shape for the event and stream code every request runs through.
   */
  private readonly connections = new WeakMap<object, ConnectionMemo>();

  private readonly now: () => number;

  constructor(
    options: { config: Pick<ServerConfig, 'seed' | 'countryHeader'>; now: () => number },
    private readonly links: LinkCache,
    private readonly clicks: ClickBuffer,
  ) {
    this.now = options.now;
    this.rng = new Rng(options.config.seed ?? Math.floor(Math.random() * 2 ** 32));
    this.countryHeader = options.config.countryHeader?.toLowerCase();
  }

  /** The link a request path (`/key` or `/key?…`) names, if it is served. */
  linkFor(url: string | undefined): CompiledLink | undefined {
    if (url === undefined || url.charCodeAt(0) !== 47) return undefined;
    const q = url.indexOf('?', 1);
    const key = q < 0 ? url.slice(1) : url.slice(1, q);
    return key.length === 0 ? undefined : this.links.get(key);
  }

  /** The memo of a request's connection (created on its first request). */
  private connectionMemo(req: IncomingMessage): ConnectionMemo {
    const socket = req.socket;
    let memo = this.connections.get(socket);
    if (memo === undefined) {
      memo = { ip: socket.remoteAddress ?? '', ua: undefined, day: -1, info: classifyUa(undefined), visitor: '' };
      this.connections.set(socket, memo);
    }
    return memo;
  }

  /** Records the click of `req` on `link` and returns the Location to send. */
  capture(req: IncomingMessage, link: CompiledLink, head: boolean): string {
    const at = this.now();
    // Read the three headers from rawHeaders: `req.headers` builds an object of all of them on first use.
    let ua: string | undefined;
    let referer: string | undefined;
    let country: string | undefined;
    const raw = req.rawHeaders;
    const ch = this.countryHeader;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!;
      if (ua === undefined && name.length === 10 && name.toLowerCase() === 'user-agent') ua = raw[i + 1];
      else if (referer === undefined && name.length === 7 && name.toLowerCase() === 'referer') referer = raw[i + 1];
      else if (ch !== undefined && country === undefined && name.length === ch.length && name.toLowerCase() === ch) country = raw[i + 1];
    }
    const memo = this.connectionMemo(req);
    const day = utcDay(at);
    if (memo.day !== day || memo.ua !== ua) {
      memo.ua = ua;
      memo.day = day;
      memo.info = classifyUa(ua);
      memo.visitor = this.visitors.id(memo.ip, ua ?? '', at);
    }
    const info = memo.info;
    const target = pickTarget(link, link.targets.length > 1 ? this.rng.uniform() : 0);
    const id = newClickId(at);
    this.clicks.push({
      id,
      link_id: link.id,
      at,
      visitor_id: memo.visitor,
      referrer: referrerHost(referer),
      country: ch === undefined ? null : countryFrom(country),
      device: info.device,
      is_bot: info.isBot || head,
      browser: info.browser,
      os: info.os,
      variant: target.label,
      is_preview: head,
    });
    return target.withId ? target.prefix + id + target.suffix : target.prefix;
  }

  /** Answers a GET/HEAD of a served key directly on node:http; false when the request is not one (Fastify takes it). */
  tryHandle(req: IncomingMessage, res: ServerResponse): boolean {
    const m = req.method;
    const head = m === 'HEAD';
    if (m !== 'GET' && !head) return false;
    const link = this.linkFor(req.url);
    if (link === undefined) return false;
    const location = this.capture(req, link, head);
    res.writeHead(302, { location, 'cache-control': 'no-store', 'content-length': '0' });
    res.end();
    return true;
  }
}
