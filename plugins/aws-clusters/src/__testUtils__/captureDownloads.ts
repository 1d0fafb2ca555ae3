/** Captures the files a component hands the browser to save, instead of saving them. */
export function captureDownloads(): Blob[] {
  const blobs: Blob[] = [];
  URL.createObjectURL = jest.fn((b: Blob) => {
    blobs.push(b);
    return `blob:download-${blobs.length}`;
  });
  URL.revokeObjectURL = jest.fn();
  // jsdom cannot follow a download link; the click is what the browser would act on.
  jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
  return blobs;
}
