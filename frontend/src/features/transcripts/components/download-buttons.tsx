import { useState } from 'react';
import { EXPORT_FORMATS, downloadTranscript, errorMessage, type ExportFormat } from '@/api';
import { Button, useToast } from '@/components';

const TITLES: Record<ExportFormat, string> = {
  txt: 'Plain text',
  srt: 'SubRip subtitles',
  vtt: 'WebVTT subtitles',
  json: 'JSON with segments and words',
  tsv: 'Tab-separated (start, end, text)',
  docx: 'Word document',
};

export function DownloadButtons({ jobId, ready }: { jobId: string; ready: boolean }) {
  const toast = useToast();
  const [busy, setBusy] = useState<ExportFormat | null>(null);

  const download = async (format: ExportFormat) => {
    setBusy(format);
    try {
      await downloadTranscript(jobId, format);
    } catch (error) {
      toast({
        tone: 'danger',
        title: `Could not download the ${format.toUpperCase()} file`,
        description: errorMessage(error),
      });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="downloads" role="group" aria-label="Download the transcript">
      <span className="downloads__label">Download</span>
      {EXPORT_FORMATS.map((format) => (
        <Button
          key={format}
          size="sm"
          icon="download"
          disabled={!ready}
          busy={busy === format}
          title={ready ? TITLES[format] : 'Available when the transcription has finished'}
          aria-label={`Download ${format.toUpperCase()} (${TITLES[format]})`}
          onClick={() => void download(format)}
        >
          {format.toUpperCase()}
        </Button>
      ))}
    </div>
  );
}
