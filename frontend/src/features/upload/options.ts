import type { JobOptions } from '@/api';
import { readStored, writeStored } from '@/lib/storage';

export const DEFAULT_OPTIONS: JobOptions = {
  model: '',
  language: 'auto',
  task: 'transcribe',
  word_timestamps: true,
  vad: true,
  initial_prompt: '',
};

export const MODELS: readonly { value: string; label: string }[] = [
  { value: '', label: 'Server default' },
  { value: 'tiny.en', label: 'tiny.en — English only, fastest' },
  { value: 'base', label: 'base — multilingual' },
];

/** The languages Whisper knows (ISO 639-1, plus haw, yue; `jw` is Whisper's Javanese). */
export const LANGUAGE_CODES: readonly string[] = [
  'af',
  'am',
  'ar',
  'as',
  'az',
  'ba',
  'be',
  'bg',
  'bn',
  'bo',
  'br',
  'bs',
  'ca',
  'cs',
  'cy',
  'da',
  'de',
  'el',
  'en',
  'es',
  'et',
  'eu',
  'fa',
  'fi',
  'fo',
  'fr',
  'gl',
  'gu',
  'ha',
  'haw',
  'he',
  'hi',
  'hr',
  'ht',
  'hu',
  'hy',
  'id',
  'is',
  'it',
  'ja',
  'jw',
  'ka',
  'kk',
  'km',
  'kn',
  'ko',
  'la',
  'lb',
  'ln',
  'lo',
  'lt',
  'lv',
  'mg',
  'mi',
  'mk',
  'ml',
  'mn',
  'mr',
  'ms',
  'mt',
  'my',
  'ne',
  'nl',
  'nn',
  'no',
  'oc',
  'pa',
  'pl',
  'ps',
  'pt',
  'ro',
  'ru',
  'sa',
  'sd',
  'si',
  'sk',
  'sl',
  'sn',
  'so',
  'sq',
  'sr',
  'su',
  'sv',
  'sw',
  'ta',
  'te',
  'tg',
  'th',
  'tk',
  'tl',
  'tr',
  'tt',
  'uk',
  'ur',
  'uz',
  'vi',
  'yi',
  'yo',
  'yue',
  'zh',
];

/** A model whose name ends in `.en` understands English only and cannot translate. */
export function isEnglishOnly(model: string): boolean {
  return /\.en$/i.test(model.trim());
}

/**
 * Whisper's translate task needs a multilingual model. The server's default model is not
 * known here (tiny.en out of the box), so translating asks for a model picked by name.
 */
export function canTranslate(model: string): boolean {
  return model.trim() !== '' && !isEnglishOnly(model);
}

/** The options with what the chosen model cannot do switched off. */
export function normalizeOptions(options: JobOptions): JobOptions {
  return options.task === 'translate' && !canTranslate(options.model) ? { ...options, task: 'transcribe' } : options;
}

/** A hint when the options ask an English-only model for something it cannot do. */
export function optionsWarning(options: JobOptions): string | null {
  if (!isEnglishOnly(options.model)) return null;
  if (options.language !== 'auto' && options.language !== 'en') {
    return `${options.model} understands English only; pick a multilingual model for other languages.`;
  }
  if (options.task === 'translate') return `${options.model} is English only, so there is nothing to translate.`;
  return null;
}

const KEY = 'transcriber.upload-options';

function parseOptions(raw: unknown): JobOptions | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Partial<Record<keyof JobOptions, unknown>>;
  return normalizeOptions({
    model: typeof r.model === 'string' ? r.model : DEFAULT_OPTIONS.model,
    language: typeof r.language === 'string' ? r.language : DEFAULT_OPTIONS.language,
    task: r.task === 'translate' ? 'translate' : 'transcribe',
    word_timestamps: typeof r.word_timestamps === 'boolean' ? r.word_timestamps : DEFAULT_OPTIONS.word_timestamps,
    vad: typeof r.vad === 'boolean' ? r.vad : DEFAULT_OPTIONS.vad,
    initial_prompt: typeof r.initial_prompt === 'string' ? r.initial_prompt : '',
  });
}

export function loadOptions(): JobOptions {
  return readStored(KEY, parseOptions) ?? DEFAULT_OPTIONS;
}

export function saveOptions(options: JobOptions): void {
  writeStored(KEY, options);
}
