import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Time on task: counts only while the tab is visible, so a reviewer who
 * leaves the workspace open over lunch is not recorded as reviewing. The
 * server gets deltas (activeMsDelta) so two saves never double count.
 */
export function useVisibleTime(startMs: number) {
  const total = useRef(startMs);
  const unsent = useRef(0);
  const last = useRef(performance.now());
  const [shown, setShown] = useState(startMs);
  useEffect(() => {
    total.current = startMs;
    setShown(startMs);
  }, [startMs]);
  useEffect(() => {
    const tick = () => {
      const now = performance.now();
      if (document.visibilityState === 'visible') {
        const delta = now - last.current;
        total.current += delta;
        unsent.current += delta;
        setShown(total.current);
      }
      last.current = now;
    };
    const timer = window.setInterval(tick, 1000);
    document.addEventListener('visibilitychange', tick);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
    };
  }, []);
  /** The milliseconds not yet sent; resets the counter. */
  const takeDelta = useCallback(() => {
    const delta = Math.round(unsent.current);
    unsent.current = 0;
    return delta;
  }, []);
  /** Puts back a delta whose save failed. */
  const giveBack = useCallback((delta: number) => {
    unsent.current += delta;
  }, []);
  return { totalMs: shown, takeDelta, giveBack };
}

export type SaveState = { state: 'idle' } | { state: 'saving' } | { state: 'saved'; at: Date } | { state: 'failed'; message: string };

/**
 * Debounced autosave: `save` runs `delayMs` after the last change of
 * `signature`, and once more on leaving (unmount) if anything is pending.
 */
export function useAutosave(signature: string, save: () => Promise<void>, options: { enabled: boolean; delayMs?: number }) {
  const [status, setStatus] = useState<SaveState>({ state: 'idle' });
  const saveRef = useRef(save);
  saveRef.current = save;
  const first = useRef(true);
  const pending = useRef(false);

  const run = useCallback(async () => {
    pending.current = false;
    setStatus({ state: 'saving' });
    try {
      await saveRef.current();
      setStatus({ state: 'saved', at: new Date() });
    } catch (error) {
      setStatus({ state: 'failed', message: error instanceof Error ? error.message : 'Could not save the draft.' });
    }
  }, []);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (!options.enabled) return;
    pending.current = true;
    const timer = window.setTimeout(() => void run(), options.delayMs ?? 1200);
    return () => window.clearTimeout(timer);
  }, [signature, options.enabled, options.delayMs, run]);

  useEffect(
    () => () => {
      if (pending.current && options.enabled) void saveRef.current().catch(() => undefined);
    },
    // Only on leaving.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  return { status, saveNow: run };
}

export function formatClock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
