import { readStored, writeStored } from '@/lib/storage';

export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'transcriber.theme';
const CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

export function storedTheme(): ThemeChoice {
  return (
    readStored<ThemeChoice>(KEY, (raw) => (CHOICES.includes(raw as ThemeChoice) ? (raw as ThemeChoice) : null)) ??
    'system'
  );
}

/** Apply a choice to <html data-theme>; 'system' follows prefers-color-scheme in CSS. */
export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
  writeStored(KEY, choice);
}

export function nextTheme(choice: ThemeChoice): ThemeChoice {
  return CHOICES[(CHOICES.indexOf(choice) + 1) % CHOICES.length] ?? 'system';
}
