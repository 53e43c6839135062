import { useId, useState, type SyntheticEvent } from 'react';
import { errorMessage } from '@/api';
import { Button, useToast } from '@/components';
import { useRenameSpeaker } from '../api/editing';

/** The transcript's speakers; renaming one changes every segment of theirs at once. */
export function SpeakersPanel({
  jobId,
  speakers,
}: {
  jobId: string;
  speakers: readonly { name: string; count: number }[];
}) {
  if (speakers.length === 0) return null;
  return (
    <div className="speakers" role="group" aria-label="Speakers">
      <span className="downloads__label">Speakers</span>
      {speakers.map((speaker) => (
        <SpeakerChip key={speaker.name} jobId={jobId} name={speaker.name} count={speaker.count} />
      ))}
    </div>
  );
}

function SpeakerChip({ jobId, name, count }: { jobId: string; name: string; count: number }) {
  const id = useId();
  const toast = useToast();
  const [renaming, setRenaming] = useState(false);
  const [to, setTo] = useState(name);
  const rename = useRenameSpeaker(jobId);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const next = to.trim();
    if (next === '' || next === name) {
      setRenaming(false);
      return;
    }
    rename.mutate(
      { from: name, to: next },
      {
        onSuccess: ({ renamed }) => {
          setRenaming(false);
          toast({
            tone: 'success',
            title: `“${name}” is now “${next}” in ${renamed} segment${renamed === 1 ? '' : 's'}`,
          });
        },
      },
    );
  };

  if (!renaming) {
    return (
      <Button
        size="sm"
        variant="ghost"
        icon="edit"
        title={`Rename ${name} everywhere`}
        onClick={() => setRenaming(true)}
      >
        {name} <span className="muted">({count})</span>
      </Button>
    );
  }
  return (
    <form className="speakers__rename" onSubmit={submit}>
      <label className="visually-hidden" htmlFor={id}>
        New name for {name}
      </label>
      <input
        id={id}
        className="input input--sm"
        value={to}
        maxLength={64}
        autoFocus
        onChange={(event) => setTo(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setRenaming(false);
        }}
      />
      <Button size="sm" variant="primary" type="submit" busy={rename.isPending}>
        Rename everywhere
      </Button>
      <Button size="sm" onClick={() => setRenaming(false)}>
        Cancel
      </Button>
      {rename.isError && (
        <span className="speakers__error" role="alert">
          {errorMessage(rename.error)}
        </span>
      )}
    </form>
  );
}
