import { useEffect, useState } from 'react';
import { Icon } from './icons';
import { applyTheme, nextTheme, storedTheme, type ThemeChoice } from './theme';

const LABEL: Record<ThemeChoice, string> = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' };
const ICON = { system: 'monitor', light: 'sun', dark: 'moon' } as const;

export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>(storedTheme);
  useEffect(() => {
    applyTheme(choice);
  }, [choice]);
  const next = nextTheme(choice);
  return (
    <button
      type="button"
      className="btn btn--ghost btn--md btn--icon theme-toggle"
      onClick={() => setChoice(next)}
      aria-label={`${LABEL[choice]} (switch to ${LABEL[next].toLowerCase()})`}
      title={`${LABEL[choice]} — click for ${LABEL[next].toLowerCase()}`}
    >
      <Icon name={ICON[choice]} size={19} />
    </button>
  );
}
