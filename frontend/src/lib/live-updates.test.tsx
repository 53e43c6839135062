import { renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { env } from '@/config/env';
import { LiveStatusContext, useLiveRefetchInterval, type LiveState } from './live-updates';

function intervalWhile(status: LiveState, active: boolean) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <LiveStatusContext value={status}>{children}</LiveStatusContext>
  );
  const { result } = renderHook(() => useLiveRefetchInterval<boolean>((data) => data === true), { wrapper });
  return result.current({ state: { data: active } });
}

describe('useLiveRefetchInterval', () => {
  it('does not poll while the live connection is open', () => {
    expect(intervalWhile('open', true)).toBe(false);
  });

  it('polls what is still changing, slowly, while the connection is down or absent', () => {
    expect(intervalWhile('closed', true)).toBe(env.pollIntervalMs);
    expect(intervalWhile('connecting', true)).toBe(env.pollIntervalMs);
    expect(intervalWhile('off', true)).toBe(env.pollIntervalMs);
    expect(intervalWhile('closed', false)).toBe(false);
  });
});
