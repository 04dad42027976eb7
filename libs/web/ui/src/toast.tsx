import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

export interface ToastOptions {
  tone?: 'info' | 'error';
  /** "Undo" (or another single action) next to the message. */
  action?: { label: string; onAction: () => void };
  /** Milliseconds before it goes; errors and toasts with an action stay longer. */
  duration?: number;
}

interface ToastEntry extends ToastOptions {
  id: number;
  message: string;
}

type Show = (message: string, options?: ToastOptions) => void;

const ToastContext = createContext<Show | null>(null);

/** Short confirmations ("Priority set to P1 · Undo"), announced politely, at the bottom of the screen. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastEntry[]>([]);
  const next = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const dismiss = useCallback((id: number) => {
    setToasts((all) => all.filter((t) => t.id !== id));
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
  }, []);
  const show = useCallback<Show>(
    (message, options = {}) => {
      const id = next.current++;
      setToasts((all) => [...all.slice(-2), { id, message, ...options }]);
      const duration = options.duration ?? (options.action || options.tone === 'error' ? 8000 : 4000);
      timers.current.set(id, setTimeout(() => dismiss(id), duration));
    },
    [dismiss],
  );
  useEffect(() => {
    const all = timers.current;
    return () => all.forEach((t) => clearTimeout(t));
  }, []);
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="hs-toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`hs-toast${t.tone === 'error' ? ' hs-toast--error' : ''}`}>
            <span>{t.message}</span>
            {t.action && (
              <button
                type="button"
                onClick={() => {
                  t.action?.onAction();
                  dismiss(t.id);
                }}
              >
                {t.action.label}
              </button>
            )}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

/** Shows a toast; outside a ToastProvider (a unit test, an isolated widget) it does nothing. */
export function useToast(): Show {
  return useContext(ToastContext) ?? noop;
}
const noop: Show = () => undefined;
