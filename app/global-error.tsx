'use client';

export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui', padding: 24 }}>
        <h1>stickyscope hit an error</h1>
        <pre style={{ whiteSpace: 'pre-wrap' }}>{error.message}</pre>
      </body>
    </html>
  );
}
