import { useId, useMemo } from 'react';
import type { JobOptions } from '@/api';
import { formatLanguage } from '@/lib/format';
import { LANGUAGE_CODES, MODELS, canTranslate, normalizeOptions, optionsWarning } from '../options';

export interface UploadOptionsFormProps {
  value: JobOptions;
  onChange: (value: JobOptions) => void;
  disabled?: boolean;
}

/** The options every file of the next upload shares. */
export function UploadOptionsForm({ value, onChange, disabled = false }: UploadOptionsFormProps) {
  const id = useId();
  const set = <K extends keyof JobOptions>(key: K, v: JobOptions[K]) =>
    onChange(normalizeOptions({ ...value, [key]: v }));
  const translatable = canTranslate(value.model);
  const languages = useMemo(
    () =>
      LANGUAGE_CODES.map((code) => ({ code, name: formatLanguage(code) })).sort((a, b) => a.name.localeCompare(b.name)),
    [],
  );
  const warning = optionsWarning(value);

  return (
    <fieldset className="options" disabled={disabled}>
      <legend className="options__legend">Options for new jobs</legend>
      <div className="options__grid">
        <div className="field">
          <label htmlFor={`${id}-model`}>Model</label>
          <select
            id={`${id}-model`}
            className="input"
            value={value.model}
            onChange={(e) => set('model', e.target.value)}
          >
            {MODELS.map((model) => (
              <option key={model.value} value={model.value}>
                {model.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-language`}>Language</label>
          <select
            id={`${id}-language`}
            className="input"
            value={value.language}
            onChange={(e) => set('language', e.target.value)}
          >
            <option value="auto">Auto-detect</option>
            {languages.map(({ code, name }) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </div>
      </div>

      <div className="field">
        <span className="field__label" id={`${id}-task`}>
          Task
        </span>
        <div className="segmented" role="radiogroup" aria-labelledby={`${id}-task`}>
          {(
            [
              ['transcribe', 'Transcribe'],
              ['translate', 'Translate to English'],
            ] as const
          ).map(([task, label]) => (
            <label key={task} className="segmented__item">
              <input
                type="radio"
                name={`${id}-task`}
                value={task}
                checked={value.task === task}
                disabled={task === 'translate' && !translatable}
                aria-describedby={task === 'translate' && !translatable ? `${id}-task-hint` : undefined}
                onChange={() => set('task', task)}
              />
              <span>{label}</span>
            </label>
          ))}
        </div>
        {!translatable && (
          <small className="field__hint" id={`${id}-task-hint`}>
            Translating to English needs a multilingual model: pick one, such as base.
          </small>
        )}
      </div>

      <div className="options__toggles">
        <label className="check">
          <input
            type="checkbox"
            checked={value.word_timestamps}
            onChange={(e) => set('word_timestamps', e.target.checked)}
          />
          <span>
            Word timestamps
            <small>Highlights each word as it plays</small>
          </span>
        </label>
        <label className="check">
          <input type="checkbox" checked={value.vad} onChange={(e) => set('vad', e.target.checked)} />
          <span>
            Skip silence (VAD)
            <small>Faster, fewer made-up words in pauses</small>
          </span>
        </label>
      </div>

      <details className="options__more">
        <summary>More options</summary>
        <div className="field">
          <label htmlFor={`${id}-prompt`}>Initial prompt</label>
          <textarea
            id={`${id}-prompt`}
            className="input"
            rows={2}
            maxLength={2000}
            placeholder="Names, jargon or a style to follow, e.g. “Kubernetes, Grafana, Prometheus.”"
            value={value.initial_prompt}
            onChange={(e) => set('initial_prompt', e.target.value)}
          />
        </div>
      </details>

      {warning && (
        <p className="options__warning" role="status">
          {warning}
        </p>
      )}
    </fieldset>
  );
}
