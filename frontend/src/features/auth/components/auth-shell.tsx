import { useEffect, type ReactNode } from 'react';
import { ThemeToggle } from '@/components';

/** The frame of the pages shown before signing in: a centred card under the brand. */
export function AuthShell({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · Whisper Transcriber`;
  }, [title]);
  return (
    <div className="auth">
      <div className="auth__theme">
        <ThemeToggle />
      </div>
      <main id="main" className="auth__main">
        <div className="auth__brand">
          <img src="/icon.svg" alt="" width={40} height={40} className="brand__logo" />
          <span className="brand__name">Whisper Transcriber</span>
        </div>
        <section className="card auth__card" aria-labelledby="auth-title">
          <h1 id="auth-title" className="auth__title">
            {title}
          </h1>
          {subtitle && <p className="auth__subtitle">{subtitle}</p>}
          {children}
        </section>
        {footer && <div className="auth__footer">{footer}</div>}
      </main>
    </div>
  );
}
