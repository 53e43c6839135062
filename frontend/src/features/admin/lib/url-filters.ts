/**
 * Admin lists keep their filters in the address, so a filtered view can be linked to (a
 * user's "Their jobs") and Back returns to it.
 */
export function withParam(current: URLSearchParams, name: string, value: string): URLSearchParams {
  const next = new URLSearchParams(current);
  if (value) next.set(name, value);
  else next.delete(name);
  return next;
}
