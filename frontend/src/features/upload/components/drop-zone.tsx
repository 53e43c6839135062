import { useId, useRef, useState, type DragEvent } from 'react';
import { Icon } from '@/components';
import { cn } from '@/lib/cn';

export interface DropZoneProps {
  onFiles: (files: File[]) => void;
  disabled?: boolean;
}

const ACCEPT = 'audio/*,video/*,.mp3,.m4a,.wav,.flac,.ogg,.opus,.webm,.mp4,.mkv,.mov,.aac,.wma';

/** Drop files here or pick them; the server decides what is audio by probing, not by name. */
export function DropZone({ onFiles, disabled = false }: DropZoneProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const depth = useRef(0);

  const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer.types).includes('Files');

  return (
    <div
      className={cn('dropzone', over && 'dropzone--over', disabled && 'dropzone--disabled')}
      onDragEnter={(event) => {
        if (disabled || !hasFiles(event)) return;
        event.preventDefault();
        depth.current += 1;
        setOver(true);
      }}
      onDragOver={(event) => {
        if (disabled || !hasFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        depth.current = 0;
        setOver(false);
        if (disabled) return;
        const files = Array.from(event.dataTransfer.files);
        if (files.length > 0) onFiles(files);
      }}
    >
      <input
        ref={input}
        id={id}
        type="file"
        multiple
        accept={ACCEPT}
        className="visually-hidden dropzone__input"
        disabled={disabled}
        data-testid="file-input"
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          if (files.length > 0) onFiles(files);
          event.target.value = '';
        }}
      />
      <label htmlFor={id} className="dropzone__label">
        <span className="dropzone__icon" aria-hidden="true">
          <Icon name="upload" size={26} />
        </span>
        <span className="dropzone__title">{over ? 'Drop to upload' : 'Drop audio or video files here'}</span>
        <span className="dropzone__hint">
          or <span className="dropzone__browse">browse your files</span> — each file becomes its own job
        </span>
        <span className="dropzone__formats">MP3 · WAV · M4A · FLAC · OGG · Opus · WebM · MP4 · MKV · MOV</span>
      </label>
    </div>
  );
}
