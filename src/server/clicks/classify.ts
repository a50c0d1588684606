/**
 * What a click's request says about the visitor, without keeping the request: device/browser/OS from the
 * User-Agent (ua-parser-js 1.x), a bot flag (isbot's maintained list plus link-preview fetchers), the referrer's host.
 * Results per User-Agent are memoized (UA strings repeat heavily), so the hot path parses each distinct UA once.
 */
import { isbot } from 'isbot';
import UAParser from 'ua-parser-js';
import { memoizeString } from '../../domain/index.js';

/** Link-preview fetchers and scanners that unfurl links in chats and feeds (checked beside isbot's list). */
export const PREVIEW_AGENTS =
  /twitterbot|facebookexternalhit|facebookcatalog|meta-externalagent|slackbot|slack-imgproxy|whatsapp|linkedinbot|telegrambot|discordbot|skypeuripreview|redditbot|pinterestbot|embedly|iframely|bingpreview|google-inspectiontool|vkshare|mastodon|bluesky|cardyb|snap url preview|bitlybot|quora link preview|microsoftpreview|applebot|googlebot/i;

/** What the User-Agent tells. */
export interface UaInfo {
  device: string;
  browser: string | null;
  os: string | null;
  isBot: boolean;
}

const classifyMemo = memoizeString(parseUa, 4096);

/** Device, browser, OS and bot flag of a User-Agent (a missing or empty UA counts as a bot). */
export function classifyUa(ua: string | undefined): UaInfo {
  return classifyMemo(ua ?? '');
}

function parseUa(ua: string): UaInfo {
  const bot = ua.trim() === '' || isbot(ua) || PREVIEW_AGENTS.test(ua);
  const r = new UAParser(ua).getResult();
  return {
    device: bot ? 'bot' : (r.device.type ?? 'desktop'),
    browser: r.browser.name ?? null,
    os: r.os.name ?? null,
    isBot: bot,
  };
}

/** The host of a Referer header (lower case, no port, no user info), or null. */
export function referrerHost(referer: string | undefined): string | null {
  if (referer === undefined || referer === '') return null;
  const start = referer.indexOf('://');
  if (start < 0) return null;
  let end = referer.length;
  for (let i = start + 3; i < referer.length; i++) {
    const c = referer.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35) {
      end = i;
      break;
    }
  }
  let host = referer.slice(start + 3, end);
  const at = host.lastIndexOf('@');
  if (at >= 0) host = host.slice(at + 1);
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    host = close > 0 ? host.slice(0, close + 1) : host;
  } else {
    const colon = host.indexOf(':');
    if (colon >= 0) host = host.slice(0, colon);
  }
  host = host.toLowerCase();
  return /^[a-z0-9.\-[\]:]{1,253}$/.test(host) ? host : null;
}

/** A two-letter country code from a trusted header value, or null. */
export function countryFrom(value: string | string[] | undefined): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return v !== undefined && /^[A-Za-z]{2}$/.test(v) ? v.toUpperCase() : null;
}
