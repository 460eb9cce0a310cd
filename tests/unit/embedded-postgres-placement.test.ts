import { describe, expect, it } from 'vitest';
import { lineage, planPlacement, type PlacementFacts } from '../../src/db/embedded-postgres-location.ts';

// Where the embedded PostgreSQL runs from, decided from facts about the machine (docs/decisions/0002).
// The decision is pure; tests/integration/embedded-postgres.test.ts carries it out on real directories.
describe('where PostgreSQL runs from: deciding', () => {
  const facts = (overrides: Partial<PlacementFacts>): PlacementFacts => ({
    runsAsPostgresUser: true,
    binariesReachable: true,
    dataDirReachable: true,
    clusterInDataDir: false,
    recordedCluster: undefined,
    ...overrides,
  });

  it('leaves everything in place when the postgres user can reach it, or when PostgreSQL runs as us', () => {
    expect(planPlacement(facts({}))).toEqual({ binaries: 'package', cluster: 'data-dir' });
    const nonRoot = { runsAsPostgresUser: false, binariesReachable: false, dataDirReachable: false };
    expect(planPlacement(facts(nonRoot))).toEqual({ binaries: 'package', cluster: 'data-dir' });
  });

  it('copies unreachable binaries and relocates a new cluster whose data directory is unreachable', () => {
    expect(planPlacement(facts({ binariesReachable: false }))).toEqual({ binaries: 'copy', cluster: 'data-dir' });
    expect(planPlacement(facts({ dataDirReachable: false }))).toEqual({ binaries: 'package', cluster: 'relocate' });
    expect(planPlacement(facts({ binariesReachable: false, dataDirReachable: false }))).toEqual({
      binaries: 'copy',
      cluster: 'relocate',
    });
  });

  it('uses a recorded cluster wherever it is, and never moves an existing dataDir/pg', () => {
    const recordedCluster = '/var/lib/assay/clusters/0123456789abcdef/pg';
    expect(planPlacement(facts({ recordedCluster }))).toEqual({ binaries: 'package', cluster: 'recorded' });
    expect(planPlacement(facts({ recordedCluster, dataDirReachable: false, clusterInDataDir: true }))).toMatchObject({
      cluster: 'recorded',
    });
    expect(planPlacement(facts({ runsAsPostgresUser: false, recordedCluster }))).toMatchObject({ cluster: 'recorded' });
    // Unreachable, but holding data: the start fails with advice instead.
    expect(planPlacement(facts({ dataDirReachable: false, clusterInDataDir: true }))).toMatchObject({ cluster: 'data-dir' });
  });

  it('lists every directory that must be entered on the way to a path', () => {
    expect(lineage('/root/assay/.assay')).toEqual(['/root', '/root/assay', '/root/assay/.assay']);
    expect(lineage('/')).toEqual([]);
  });
});
