/** Keys (slugs) for workflows, policies and actions: `video_moderation`. */
export const SLUG_PATTERN = /^[a-z][a-z0-9_]{1,48}$/;
export const SLUG_HINT = 'Use 2–49 lower-case letters, digits or underscores, starting with a letter (e.g. hate_speech)';

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 49);
}
