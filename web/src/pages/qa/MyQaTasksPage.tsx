import { PageHeader } from '../../components/PageHeader';
import { MyTasksPanel } from './MyTasksPanel';

/** A reviewer's own QA work, for reviewers who do not see the whole queue. */
export function MyQaTasksPage() {
  return (
    <>
      <PageHeader
        title="My QA tasks"
        description="Take the next sampled decision to review. A claim holds the task for the workflow's lease time; renew it while you work, or release it for later."
      />
      <MyTasksPanel />
    </>
  );
}
