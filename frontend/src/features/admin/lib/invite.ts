/** The link an invited person opens: the register page with the invite token. */
export function inviteLink(token: string, origin = window.location.origin): string {
  return `${origin}/register?invite=${encodeURIComponent(token)}`;
}
