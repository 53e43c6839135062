import { useId, useState, type SyntheticEvent } from 'react';
import { errorMessage, type Segment } from '@/api';
import { Button } from '@/components';
import { useEditSegment } from '../api/editing';
import { segmentEdit } from '../lib/edits';

export interface SegmentEditorProps {
  jobId: string;
  segment: Segment;
  /** Speakers already in the transcript, offered as suggestions. */
  speakers: readonly string[];
  stamp: string;
  onDone: () => void;
}

/** A segment's text and speaker, edited in place: Save (or Ctrl+Enter), Cancel (or Escape). */
export function SegmentEditor({ jobId, segment, speakers, stamp, onDone }: SegmentEditorProps) {
  const id = useId();
  const [text, setText] = useState(segment.text.trim());
  const [speaker, setSpeaker] = useState(segment.speaker ?? '');
  const edit = useEditSegment(jobId);

  const save = (event?: SyntheticEvent) => {
    event?.preventDefault();
    const change = segmentEdit(segment, text, speaker);
    if (change === null) {
      onDone();
      return;
    }
    edit.mutate({ segmentId: segment.id, edit: change }, { onSuccess: onDone });
  };

  return (
    <form
      className="segment-editor"
      onSubmit={save}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onDone();
        } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          save(event);
        }
      }}
    >
      <label className="visually-hidden" htmlFor={`${id}-text`}>
        Text of the segment at {stamp}
      </label>
      <textarea
        id={`${id}-text`}
        className="input segment-editor__text"
        value={text}
        rows={Math.min(8, Math.max(2, Math.ceil(text.length / 80)))}
        maxLength={10_000}
        autoFocus
        onChange={(event) => setText(event.target.value)}
      />
      <div className="segment-editor__row">
        <label className="segment-editor__speaker" htmlFor={`${id}-speaker`}>
          Speaker
          <input
            id={`${id}-speaker`}
            className="input input--sm"
            value={speaker}
            maxLength={64}
            list={`${id}-speakers`}
            placeholder="None"
            onChange={(event) => setSpeaker(event.target.value)}
          />
        </label>
        <datalist id={`${id}-speakers`}>
          {speakers.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <span className="segment-editor__actions">
          <Button size="sm" onClick={onDone}>
            Cancel
          </Button>
          <Button size="sm" variant="primary" type="submit" busy={edit.isPending} disabled={text.trim() === ''}>
            Save
          </Button>
        </span>
      </div>
      {edit.isError && (
        <p className="segment-editor__error" role="alert">
          {errorMessage(edit.error)}
        </p>
      )}
    </form>
  );
}
