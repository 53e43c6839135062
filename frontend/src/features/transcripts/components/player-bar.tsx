import { useId } from 'react';
import { Alert } from '@/components';
import type { TranscriptPlayer } from '../lib/use-transcript-player';
import { AudioPlayer } from './audio-player';

export interface PlayerBarProps {
  /** The media URL, or null when there is no media to play. */
  src: string | null;
  /** Shown instead of the player when there is no media: a title and why (the server's sentence). */
  noMedia?: { title: string; note?: string | null };
  title: string;
  player: TranscriptPlayer;
  hasLowConfidence: boolean;
}

/** The sticky bar above a transcript: the player (or why there is none) and view options. */
export function PlayerBar({ src, noMedia, title, player, hasLowConfidence }: PlayerBarProps) {
  const followId = useId();
  return (
    <div className="player-bar">
      {src ? (
        <AudioPlayer src={src} title={title} onElement={player.onElement} />
      ) : (
        <div className="player" data-testid="media-note">
          <Alert tone="info" title={noMedia?.title ?? 'No audio'}>
            {noMedia?.note}
          </Alert>
        </div>
      )}
      <div className="player-bar__options">
        {src && (
          <label className="switch" htmlFor={followId}>
            <input
              id={followId}
              type="checkbox"
              checked={player.follow}
              onChange={(event) => player.setFollow(event.target.checked)}
            />
            <span className="switch__track" aria-hidden="true" />
            Follow playback
          </label>
        )}
        {hasLowConfidence && (
          <span className="legend">
            <span className="word word--low">dotted</span> = low confidence
          </span>
        )}
      </div>
    </div>
  );
}
