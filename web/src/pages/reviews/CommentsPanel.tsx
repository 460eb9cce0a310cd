import { useState } from 'react';
import { Button, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { errorMessage } from '../../api/client';
import { useCommentOnReview, type ReviewCommentItem } from '../../api/reviews';
import { formatDateTime } from '../../lib/format';

/** The conversation about a review between the agent, their leads and QA. */
export function CommentsPanel({ reviewId, comments }: { reviewId: string; comments: ReviewCommentItem[] }) {
  const comment = useCommentOnReview(reviewId);
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);

  return (
    <section aria-labelledby="comments-heading">
      <Title order={2} size="h3" id="comments-heading" mb="sm">
        Comments
      </Title>
      <Stack gap="sm">
        {comments.length === 0 && (
          <Text size="sm" c="dimmed">
            No comments yet.
          </Text>
        )}
        <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {comments.map((c) => (
            <Paper key={c.id} withBorder p="sm" radius="md" component="li">
              <Text size="xs" c="dimmed">
                {c.authorLabel} · {formatDateTime(c.createdAt)}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {c.body}
              </Text>
            </Paper>
          ))}
        </Stack>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (body.trim().length === 0) {
              setError('Write a comment.');
              return;
            }
            comment.mutate(body.trim(), { onSuccess: () => { setBody(''); setError(null); }, onError: (e) => setError(errorMessage(e)) });
          }}
        >
          <Stack gap="xs">
            <Textarea label="Add a comment" value={body} onChange={(event) => setBody(event.currentTarget.value)} error={error} autosize minRows={2} maxLength={4000} />
            <div>
              <Button type="submit" variant="light" loading={comment.isPending}>
                Post comment
              </Button>
            </div>
          </Stack>
        </form>
      </Stack>
    </section>
  );
}
