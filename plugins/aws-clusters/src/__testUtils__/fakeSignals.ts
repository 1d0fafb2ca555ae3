import type { SignalApi } from '@backstage/plugin-signals-react';

/** A signal API whose subscribers a test calls itself: `send({ refs: [...] })`. */
export function fakeSignals(): {
  signalApi: SignalApi;
  send: (message: unknown) => void;
} {
  const subscribers: Array<(message: any) => void> = [];
  return {
    signalApi: {
      subscribe: (_channel, onMessage) => {
        subscribers.push(onMessage);
        return { unsubscribe: () => {} };
      },
    },
    send: message => subscribers.forEach(s => s(message)),
  };
}
