import {
  KubernetesObject,
  RENDER_FORMATS,
  RenderFormat,
  renderClusterRequest,
} from '@clusterdeck/plugin-aws-clusters-render';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';

const REQUESTS = path.resolve(__dirname, '../../../../examples/requests');

/** Every example request (`examples/requests`) rendered in every format; throws when one does not render. */
export function renderedExamples(): Array<{
  file: string;
  format: RenderFormat;
  request: any;
  manifests: KubernetesObject[];
}> {
  const files = fs.readdirSync(REQUESTS).filter(f => f.endsWith('.yaml'));
  if (files.length === 0) throw new Error(`${REQUESTS} holds no requests`);
  return files.flatMap(file => {
    const request = yaml.parse(
      fs.readFileSync(path.join(REQUESTS, file), 'utf8'),
    );
    return RENDER_FORMATS.map(format => {
      const result = renderClusterRequest(request, {
        format,
        baseDomain: 'example.com',
      });
      if (!result.ok)
        throw new Error(
          `${file} does not render as ${format}: ${JSON.stringify(
            result.problems,
          )}`,
        );
      return { file, format, request, manifests: result.manifests };
    });
  });
}
