import { useState } from 'react';
import type { JobOptions } from '@/api';
import { useUploadQueue } from '../api/upload-context';
import { loadOptions, saveOptions } from '../options';
import { DropZone } from './drop-zone';
import { UploadList } from './upload-list';
import { UploadOptionsForm } from './upload-options-form';

/** Pick or drop files, choose the options they share, watch them upload. */
export function UploadPanel() {
  const queue = useUploadQueue();
  const [options, setOptions] = useState<JobOptions>(loadOptions);
  const change = (next: JobOptions) => {
    setOptions(next);
    saveOptions(next);
  };

  return (
    <section className="card upload-panel" aria-labelledby="upload-title">
      <header className="card__header">
        <div>
          <h2 id="upload-title" className="card__title">
            New transcription
          </h2>
          <p className="card__subtitle">Audio or video, one file or many. Everything stays on this server.</p>
        </div>
      </header>
      <div className="upload-panel__body">
        <DropZone onFiles={(files) => queue.add(files, options)} />
        <UploadOptionsForm value={options} onChange={change} />
      </div>
      <UploadList />
    </section>
  );
}
