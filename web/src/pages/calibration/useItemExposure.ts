import { useCallback, useEffect, useRef } from 'react';
import { api } from '../../api/client';

/** One view (seconds shown) or reveal of a calibration item's content: the participant's exposure record (a reveal is audited). */
export function recordItemExposure(sessionId: string, itemId: string, body: { event: 'view' | 'reveal'; seconds: number }) {
  return api.post<unknown>(`/calibration/sessions/${sessionId}/items/${itemId}/exposure`, body);
}

/**
 * Exposure to the item on screen, as the review workspace records a decision's: the seconds it was shown, sent
 * when the participant moves to another item or leaves the page, and each reveal of protected content.
 * Returns the function to call on a reveal.
 */
export function useItemExposure(sessionId: string, itemId: string): () => void {
  const shownSince = useRef(performance.now());
  useEffect(() => {
    shownSince.current = performance.now();
    const send = () => {
      const seconds = (performance.now() - shownSince.current) / 1000;
      shownSince.current = performance.now();
      if (seconds >= 0.5) void recordItemExposure(sessionId, itemId, { event: 'view', seconds: Math.round(seconds * 10) / 10 }).catch(() => undefined);
    };
    window.addEventListener('pagehide', send);
    return () => {
      window.removeEventListener('pagehide', send);
      send();
    };
  }, [sessionId, itemId]);
  return useCallback(() => void recordItemExposure(sessionId, itemId, { event: 'reveal', seconds: 0 }).catch(() => undefined), [sessionId, itemId]);
}
