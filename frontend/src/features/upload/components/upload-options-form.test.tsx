import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { JobOptions } from '@/api';
import { DEFAULT_OPTIONS, loadOptions, optionsWarning, saveOptions } from '../options';
import { UploadOptionsForm } from './upload-options-form';

function Harness({ onChange }: { onChange: (value: JobOptions) => void }) {
  const [value, setValue] = useState(DEFAULT_OPTIONS);
  return (
    <UploadOptionsForm
      value={value}
      onChange={(next) => {
        setValue(next);
        onChange(next);
      }}
    />
  );
}

describe('UploadOptionsForm', () => {
  it('starts from the defaults: server model, auto language, transcribe, words and VAD on', () => {
    render(<Harness onChange={vi.fn()} />);
    expect(screen.getByLabelText('Model')).toHaveValue('');
    expect(screen.getByLabelText('Language')).toHaveValue('auto');
    expect(screen.getByRole('radio', { name: 'Transcribe' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: /Word timestamps/ })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: /Skip silence/ })).toBeChecked();
  });

  it('reports every change as a whole options object', async () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    await userEvent.selectOptions(screen.getByLabelText('Model'), 'base');
    await userEvent.selectOptions(screen.getByLabelText('Language'), 'de');
    await userEvent.click(screen.getByRole('radio', { name: 'Translate to English' }));
    await userEvent.click(screen.getByRole('checkbox', { name: /Word timestamps/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: /Skip silence/ }));
    await userEvent.click(screen.getByText('More options'));
    await userEvent.type(screen.getByLabelText('Initial prompt'), 'Grafana');
    expect(onChange).toHaveBeenLastCalledWith({
      model: 'base',
      language: 'de',
      task: 'translate',
      word_timestamps: false,
      vad: false,
      initial_prompt: 'Grafana',
    });
  });

  it('offers translation only with a multilingual model, and drops it for an English-only one', async () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    const translate = screen.getByRole('radio', { name: 'Translate to English' });
    expect(translate).toBeDisabled(); // the server's default is not known to be multilingual
    expect(translate).toHaveAccessibleDescription(/needs a multilingual model/);
    await userEvent.selectOptions(screen.getByLabelText('Model'), 'base');
    expect(translate).toBeEnabled();
    await userEvent.click(translate);
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ model: 'base', task: 'translate' }));
    await userEvent.selectOptions(screen.getByLabelText('Model'), 'tiny.en');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ model: 'tiny.en', task: 'transcribe' }));
    expect(translate).toBeDisabled();
    expect(screen.getByRole('radio', { name: 'Transcribe' })).toBeChecked();
  });

  it('lists languages by name', () => {
    render(<Harness onChange={vi.fn()} />);
    expect(screen.getByRole('option', { name: 'German' })).toHaveValue('de');
    expect(screen.getByRole('option', { name: 'Auto-detect' })).toHaveValue('auto');
  });

  it('warns when an English-only model is asked for another language', async () => {
    render(<Harness onChange={vi.fn()} />);
    expect(screen.queryByRole('status')).toBeNull();
    await userEvent.selectOptions(screen.getByLabelText('Model'), 'tiny.en');
    await userEvent.selectOptions(screen.getByLabelText('Language'), 'fr');
    expect(screen.getByRole('status')).toHaveTextContent('tiny.en understands English only');
  });

  it('can be disabled while nothing may change', () => {
    render(<UploadOptionsForm value={DEFAULT_OPTIONS} onChange={vi.fn()} disabled />);
    expect(screen.getByLabelText('Model')).toBeDisabled();
    expect(screen.getByRole('radio', { name: 'Transcribe' })).toBeDisabled();
  });
});

describe('options', () => {
  it('remembers the last options and survives junk in storage', () => {
    expect(loadOptions()).toEqual(DEFAULT_OPTIONS);
    saveOptions({ ...DEFAULT_OPTIONS, model: 'base', task: 'translate' });
    expect(loadOptions()).toMatchObject({ model: 'base', task: 'translate' });
    // A stored translate with a model that cannot translate comes back as transcribe.
    saveOptions({ ...DEFAULT_OPTIONS, model: 'tiny.en', task: 'translate' });
    expect(loadOptions()).toMatchObject({ model: 'tiny.en', task: 'transcribe' });
    window.localStorage.setItem('transcriber.upload-options', '{not json');
    expect(loadOptions()).toEqual(DEFAULT_OPTIONS);
  });

  it('knows what English-only models cannot do', () => {
    expect(optionsWarning({ ...DEFAULT_OPTIONS, model: 'tiny.en', task: 'translate' })).toMatch(/nothing to translate/);
    expect(optionsWarning({ ...DEFAULT_OPTIONS, model: 'tiny.en', language: 'en' })).toBeNull();
    expect(optionsWarning({ ...DEFAULT_OPTIONS, model: 'base', language: 'fr' })).toBeNull();
  });
});
