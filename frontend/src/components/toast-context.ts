import { createContext, useContext } from 'react';

export interface ToastInput {
  title: string;
  description?: string;
  tone?: 'success' | 'danger' | 'info';
}

export type Notify = (toast: ToastInput) => void;

export const ToastContext = createContext<Notify | null>(null);

/** Show a short message in the corner; errors stay a little longer. */
export function useToast(): Notify {
  const notify = useContext(ToastContext);
  if (!notify) throw new Error('useToast needs a <ToastProvider> above it.');
  return notify;
}
