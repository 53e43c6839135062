import { useParams } from 'react-router';
import { SharedTranscriptPage } from '@/features/transcripts';

/** `/shared/:token`: outside the signed-in layout, open to anyone with the link. */
export function SharedRoute() {
  const { token = '' } = useParams();
  return <SharedTranscriptPage token={token} />;
}
