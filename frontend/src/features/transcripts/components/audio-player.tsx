import { useId, useRef, useState } from 'react';
import { Alert } from '@/components';

export interface AudioPlayerProps {
  src: string;
  title: string;
  /** Receives the <audio> element (or null when it goes away). */
  onElement: (element: HTMLAudioElement | null) => void;
}

const RATES = [0.75, 1, 1.25, 1.5, 2];

export function AudioPlayer({ src, title, onElement }: AudioPlayerProps) {
  const id = useId();
  const [failed, setFailed] = useState(false);
  const [rate, setRate] = useState(1);
  const element = useRef<HTMLAudioElement | null>(null);

  return (
    <div className="player">
      {failed ? (
        <Alert tone="warning" title="The audio could not be played">
          The original media may no longer be kept, or this browser cannot play its format. The transcript is still
          here.
        </Alert>
      ) : (
        <>
          <audio
            ref={(node) => {
              element.current = node;
              onElement(node);
            }}
            className="player__audio"
            src={src}
            controls
            preload="metadata"
            aria-label={`Audio of ${title}`}
            data-testid="audio"
            onError={() => setFailed(true)}
          />
          <label className="player__rate" htmlFor={`${id}-rate`}>
            <span className="visually-hidden">Playback speed</span>
            <select
              id={`${id}-rate`}
              className="input input--sm"
              value={rate}
              onChange={(event) => {
                const next = Number(event.target.value);
                setRate(next);
                if (element.current) element.current.playbackRate = next;
              }}
            >
              {RATES.map((r) => (
                <option key={r} value={r}>
                  {r}×
                </option>
              ))}
            </select>
          </label>
        </>
      )}
    </div>
  );
}
