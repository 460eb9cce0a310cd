import { useEffect, useState, type ReactNode } from 'react';
import { Grid } from '@mantine/core';
import type { WellbeingProtections, WorkspaceContent } from '../../api/review';
import { ProtectedContent } from '../review/ProtectedContent';
import { ItemNavigator } from './calibrationParts';
import { useItemExposure } from './useItemExposure';

/**
 * What the participant's and the delegated SME's screens share: one item at a time, chosen from a
 * navigator, its content under the viewer's protections with each view and reveal recorded as exposure.
 */

/** The index of the item on screen, kept within the list as it changes; `next` moves on after a save. */
export function useItemStepper(count: number) {
  const [index, setIndex] = useState(0);
  useEffect(() => {
    if (index >= count && count > 0) setIndex(count - 1);
  }, [index, count]);
  return { index, setIndex, next: () => setIndex((i) => (i < count - 1 ? i + 1 : i)) };
}

/** The navigator beside the item's panel. */
export function ItemWorkspace(props: {
  items: Array<{ id: string; position: number; done: boolean }>;
  index: number;
  onSelect: (index: number) => void;
  doneText: string;
  children: ReactNode;
}) {
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 3 }}>
        <ItemNavigator items={props.items} index={props.index} onSelect={props.onSelect} doneText={props.doneText} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 9 }}>{props.children}</Grid.Col>
    </Grid>
  );
}

/** The item's content, protected; the time it is shown and each reveal are the viewer's exposure record. */
export function CalibrationItemContent({ sessionId, item }: { sessionId: string; item: { id: string; content: WorkspaceContent; wellbeing: WellbeingProtections } }) {
  const [revealed, setRevealed] = useState(false);
  const [warned, setWarned] = useState(false);
  const recordReveal = useItemExposure(sessionId, item.id);
  return (
    <ProtectedContent
      content={item.content}
      severity={null}
      protections={item.wellbeing}
      revealed={revealed}
      warned={warned}
      onAcknowledgeWarning={() => setWarned(true)}
      onReveal={() => {
        if (revealed) return;
        setRevealed(true);
        recordReveal();
      }}
    />
  );
}
