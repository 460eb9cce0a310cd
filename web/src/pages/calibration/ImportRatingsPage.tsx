import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, Button, FileButton, Group, Paper, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { errorMessage, isApiError } from '../../api/client';
import { useImportRatings } from '../../api/calibration';
import { PageHeader } from '../../components/PageHeader';

/** Load external ratings (item, rater, label) as a revealed session whose participants are the raters. */
export function ImportRatingsPage() {
  const navigate = useNavigate();
  const importRatings = useImportRatings();
  const [title, setTitle] = useState('');
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [labelColumn, setLabelColumn] = useState('');
  const details = isApiError(importRatings.error) ? (importRatings.error.details as Array<{ path: string; message: string; line?: number }>) : [];
  return (
    <>
      <PageHeader
        title="Import external ratings"
        crumbs={[{ label: 'Calibration', to: '/calibration' }]}
        description="A CSV with one line per rating: the item, the rater and the label (for example item_id, annotator_id, is_abuse). It becomes a closed session whose participants are the raters, with the same agreement figures as any calibration."
      />
      <Paper withBorder radius="md" p="md" maw={760}>
        <Stack gap="sm">
          <TextInput label="Title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
          <Group>
            <FileButton
              onChange={(file) => {
                if (!file) return;
                setFileName(file.name);
                void file.text().then(setCsv);
              }}
              accept=".csv,text/csv"
            >
              {(props) => (
                <Button {...props} variant="default" leftSection={<IconUpload size={16} aria-hidden="true" />}>
                  Choose a CSV file
                </Button>
              )}
            </FileButton>
            {fileName && <Text size="sm">{fileName}</Text>}
          </Group>
          <Textarea label="Or paste the ratings" autosize minRows={4} maxRows={12} value={csv} onChange={(e) => setCsv(e.currentTarget.value)} styles={{ input: { fontFamily: 'monospace' } }} />
          <TextInput label="Label column" description="Only when the file has several candidate columns; otherwise found by name." value={labelColumn} onChange={(e) => setLabelColumn(e.currentTarget.value)} w={240} />
          {importRatings.error && (
            <Alert color="red" title="Nothing was imported" role="alert">
              <Text size="sm">{errorMessage(importRatings.error)}</Text>
              <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
                {details.slice(0, 30).map((d, i) => (
                  <li key={i}>
                    <Text size="sm">
                      {d.line ? `Line ${d.line}: ` : ''}
                      {d.message}
                    </Text>
                  </li>
                ))}
              </ul>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button
              disabled={!title.trim() || !csv.trim()}
              loading={importRatings.isPending}
              onClick={() =>
                importRatings.mutate(
                  { title: title.trim(), csv, labelColumn: labelColumn.trim() || undefined },
                  { onSuccess: (result) => navigate(`/calibration/${result.session.id}/results`) },
                )
              }
            >
              Import
            </Button>
          </Group>
        </Stack>
      </Paper>
    </>
  );
}
