import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { JFK_SEGMENTS } from '@/test/fake-api';
import { TranscriptView } from './transcript-view';

function view(props: Partial<Parameters<typeof TranscriptView>[0]> = {}) {
  const onSeek = vi.fn();
  render(
    <TranscriptView
      segments={JFK_SEGMENTS}
      activeSegment={-1}
      activeWord={-1}
      follow={false}
      onSeek={onSeek}
      {...props}
    />,
  );
  return { onSeek, segments: screen.getAllByTestId('segment') };
}

describe('TranscriptView', () => {
  it('shows each segment with its start time', () => {
    const { segments } = view();
    expect(segments).toHaveLength(3);
    expect(within(segments[1]!).getByRole('button', { name: 'Play from 0:04' })).toBeInTheDocument();
    expect(segments[1]).toHaveTextContent('ask not what your country can do for you,');
    expect(segments[2]).toHaveTextContent('ask what you can do for your country.');
  });

  it('highlights the playing segment and word only', () => {
    const { segments } = view({ activeSegment: 1, activeWord: 4 });
    expect(segments[1]).toHaveAttribute('aria-current', 'true');
    expect(segments[0]).not.toHaveAttribute('aria-current');
    const active = segments[1]!.querySelectorAll('.word--active');
    expect(active).toHaveLength(1);
    expect(active[0]).toHaveTextContent('country');
    expect(segments[0]!.querySelectorAll('.word--active')).toHaveLength(0);
  });

  it('marks low-confidence words subtly, with the probability on hover', () => {
    const { segments } = view();
    const low = segments[0]!.querySelectorAll('.word--low');
    expect(low).toHaveLength(1);
    expect(low[0]).toHaveTextContent('Americans,');
    expect(low[0]).toHaveAttribute('title', 'Low confidence (31%)');
  });

  it('seeks to a segment from its time button, and to a word when it is clicked', async () => {
    const { onSeek, segments } = view();
    await userEvent.click(within(segments[2]!).getByRole('button', { name: 'Play from 0:08' }));
    expect(onSeek).toHaveBeenLastCalledWith(8.2);
    await userEvent.click(within(segments[1]!).getByText('country'));
    expect(onSeek).toHaveBeenLastCalledWith(6.5);
    await userEvent.click(within(segments[2]!).getByText('ask what you can do for your country.'));
    expect(onSeek).toHaveBeenLastCalledWith(8.2);
  });

  it('scrolls the playing segment into view when following', () => {
    const scroll = vi.fn();
    Element.prototype.scrollIntoView = scroll;
    Object.defineProperty(window, 'innerHeight', { configurable: true, value: 10 });
    const { rerender } = render(
      <TranscriptView segments={JFK_SEGMENTS} activeSegment={0} activeWord={-1} follow onSeek={vi.fn()} />,
    );
    rerender(<TranscriptView segments={JFK_SEGMENTS} activeSegment={2} activeWord={-1} follow onSeek={vi.fn()} />);
    expect(scroll).toHaveBeenCalled();
    scroll.mockClear();
    rerender(
      <TranscriptView segments={JFK_SEGMENTS} activeSegment={1} activeWord={-1} follow={false} onSeek={vi.fn()} />,
    );
    expect(scroll).not.toHaveBeenCalled();
  });
});
