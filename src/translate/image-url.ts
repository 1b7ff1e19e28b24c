import type { AnthropicImageSource } from '../protocols/anthropic-messages/index.js';
import { isBase64Source, isUrlSource } from './type-guards.js';

/** The media types Anthropic accepts in a base64 image source. */
export const ANTHROPIC_IMAGE_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
]);

/**
 * OpenAI `image_url.url` -> Anthropic image source: a base64 data URL becomes a base64 source with
 * its media type, an http(s) URL a url source. Returns undefined for anything else (a non-base64
 * data URL, another scheme): the caller reports it as untranslatable.
 */
export function imageUrlToAnthropicSource(url: string): AnthropicImageSource | undefined {
  if (url.startsWith('data:')) {
    // Header only: the payload may be megabytes, so no regex over the whole string.
    const comma = url.indexOf(',');
    if (comma < 0) return undefined;
    const params = url.slice(5, comma).split(';');
    if (params.pop()?.toLowerCase() !== 'base64') return undefined;
    const mediaType = params[0]?.toLowerCase();
    if (mediaType === undefined || mediaType === '') return undefined;
    // Browsers and clients write image/jpg; Anthropic only knows image/jpeg.
    const media = mediaType === 'image/jpg' ? 'image/jpeg' : mediaType;
    return { type: 'base64', media_type: media, data: url.slice(comma + 1) };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'url', url };
  return undefined;
}

/** Anthropic base64 / url image source -> OpenAI `image_url.url`; undefined for other sources. */
export function anthropicSourceToImageUrl(source: AnthropicImageSource): string | undefined {
  if (isBase64Source(source)) return `data:${source.media_type};base64,${source.data}`;
  if (isUrlSource(source)) return source.url;
  return undefined;
}
