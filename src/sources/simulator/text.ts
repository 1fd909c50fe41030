import type { BrandProfile } from './brands.js';
import type { Rng } from './prng.js';
import { emoji, languagePacks, type LanguagePack, type TemplateSet } from './vocabulary.js';

/**
 * Template rendering. Templates are split once into literal and slot parts, so rendering is a
 * loop of string concatenations (the benchmarks write a million of these in seconds).
 */

const slotNames = ['brand', 'product', 'topic', 'theme', 'time', 'n', 'tag', 'o', 'c', 'en', 'ep'] as const;
type Slot = (typeof slotNames)[number];

/** Odd indices are slots, even indices literals. */
export type CompiledTemplate = readonly string[];

export function compileTemplate(template: string): CompiledTemplate {
  const parts = template.split(/\{(\w+)\}/);
  for (let i = 1; i < parts.length; i += 2) {
    if (!(slotNames as readonly string[]).includes(parts[i] as string)) throw new Error(`unknown slot {${parts[i]}} in template: ${template}`);
  }
  return parts;
}

export interface CompiledPack {
  readonly lang: string;
  readonly pack: LanguagePack;
  readonly templates: Readonly<Record<TemplateSet, readonly CompiledTemplate[]>>;
}

const compiledCache = new Map<string, CompiledPack>();
const byTag = new Map<string, CompiledPack>();

/** The compiled texts for a language tag (English texts for tags without a pack). */
export function compiledPack(lang: string): CompiledPack {
  const hit = byTag.get(lang);
  if (hit !== undefined) return hit;
  const compiled = compilePack(lang);
  byTag.set(lang, compiled);
  return compiled;
}

function compilePack(lang: string): CompiledPack {
  const base = lang.toLowerCase().split('-')[0] ?? 'en';
  const packLang = languagePacks[base] ? base : 'en';
  let compiled = compiledCache.get(packLang);
  if (!compiled) {
    const pack = languagePacks[packLang] as LanguagePack;
    const templates = {} as Record<TemplateSet, CompiledTemplate[]>;
    for (const [set, list] of Object.entries(pack.templates)) templates[set as TemplateSet] = list.map(compileTemplate);
    compiled = { lang: packLang, pack, templates };
    compiledCache.set(packLang, compiled);
  }
  return compiled;
}

/** Values for the slots that depend on the situation rather than on chance. */
export interface TextContext {
  readonly brand: BrandProfile;
  readonly pack: CompiledPack;
  readonly negative: boolean;
  /** Crisis topic phrases (storms) for {topic}. */
  readonly topicPhrases?: readonly string[] | undefined;
  /** Surge theme phrases for {theme}. */
  readonly themePhrases?: readonly string[] | undefined;
  /** Candidate hashtags for {tag}; one or two are used, sometimes none. */
  readonly tags?: readonly string[] | undefined;
  /** Probability that {tag} renders anything. */
  readonly tagChance?: number;
}

function brandMention(brand: BrandProfile, rng: Rng): string {
  const u = rng.next();
  if (u < 0.55) return brand.displayName;
  if (u < 0.85) return brand.handle;
  if (u < 0.95) return brand.displayName.toLowerCase();
  return '#' + brand.compact;
}

function tags(context: TextContext, rng: Rng): string {
  const candidates = context.tags;
  if (!candidates || candidates.length === 0 || !rng.chance(context.tagChance ?? 0.6)) return '';
  const first = rng.pick(candidates);
  if (candidates.length > 1 && rng.chance(0.35)) {
    const second = rng.pick(candidates);
    if (second !== first) return `${first} ${second}`;
  }
  return first;
}

function slotValue(slot: Slot, context: TextContext, rng: Rng): string {
  const pack = context.pack.pack;
  switch (slot) {
    case 'brand':
      return brandMention(context.brand, rng);
    case 'product':
      return rng.pick(pack.products[context.brand.sector]);
    case 'topic':
      return context.topicPhrases ? rng.pick(context.topicPhrases) : rng.pick(pack.topics.outage);
    case 'theme':
      return context.themePhrases ? rng.pick(context.themePhrases) : rng.pick(pack.themes.launch);
    case 'time':
      return rng.pick(pack.times);
    case 'n':
      return String(5 + rng.int(91));
    case 'tag':
      return tags(context, rng);
    case 'o':
      return rng.pick(context.negative ? pack.openersNegative : pack.openersPositive);
    case 'c':
      return rng.pick(context.negative ? pack.closersNegative : pack.closersPositive);
    case 'en':
      return rng.pick(emoji.negative);
    case 'ep':
      return rng.pick(emoji.positive);
  }
}

/** Renders one template; capitalises the first letter and tidies spaces left by empty slots. */
export function renderTemplate(template: CompiledTemplate, context: TextContext, rng: Rng): string {
  let out = template[0] as string;
  for (let i = 1; i < template.length; i += 2) {
    const slot = template[i] as Slot;
    let value = slotValue(slot, context, rng);
    // Topic and theme phrases start lower case; capitalise them at the start of a sentence.
    if ((slot === 'topic' || slot === 'theme') && (out.length === 0 || /[.!?:]\s$/.test(out))) value = capitalise(value);
    out += value + (template[i + 1] as string);
  }
  if (out.includes('  ') || out.endsWith(' ') || out.includes(' .')) out = out.replace(/ {2,}/g, ' ').replace(/ \./g, '.').trim();
  return capitalise(out);
}

function capitalise(text: string): string {
  const first = text.charCodeAt(0);
  return first >= 97 && first <= 122 ? String.fromCharCode(first - 32) + text.slice(1) : text;
}

/** Picks a template from a set and renders it. */
export function renderFrom(set: TemplateSet, context: TextContext, rng: Rng): string {
  return renderTemplate(rng.pick(context.pack.templates[set]), context, rng);
}
