import type { AllowedNamespaces, LabelSelector } from './fleetReferences';

function selectorIsEmpty(selector: LabelSelector | null | undefined): boolean {
  return (
    !selector ||
    (Object.keys(selector.matchLabels ?? {}).length === 0 &&
      (selector.matchExpressions ?? []).length === 0)
  );
}

function matches(
  selector: LabelSelector,
  labels: Record<string, string>,
): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const { key, operator, values = [] } of selector.matchExpressions ??
    []) {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    if (operator === 'In' && !(has && values.includes(labels[key])))
      return false;
    if (operator === 'NotIn' && has && values.includes(labels[key]))
      return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(operator))
      return false;
  }
  return true;
}

/**
 * Whether an identity's `allowedNamespaces` admits a namespace, as CAPA decides it: a missing
 * value admits none, `{}` admits all, else the namespace must be in `list` or match a non-empty
 * `selector`. Selectors are matched against the labels known for the namespace, and at least
 * `kubernetes.io/metadata.name`, which Kubernetes sets on every namespace.
 * @public
 */
export function admitsNamespace(
  allowed: AllowedNamespaces | null | undefined,
  namespace: string,
  labels: Record<string, string> = {},
): boolean {
  if (!allowed) return false;
  const list = allowed.list ?? undefined;
  if (
    list === undefined &&
    (allowed.selector === undefined || allowed.selector === null)
  )
    return true;
  if (list?.includes(namespace)) return true;
  if (selectorIsEmpty(allowed.selector)) return false;
  return matches(allowed.selector!, {
    ...labels,
    'kubernetes.io/metadata.name': namespace,
  });
}

/** @public Says in words which namespaces an identity admits, for refusals. */
export function describeAllowedNamespaces(
  allowed: AllowedNamespaces | null | undefined,
): string {
  if (!allowed) return 'admits no namespace (allowedNamespaces is not set)';
  const list = allowed.list ?? undefined;
  if (list === undefined && !allowed.selector) return 'admits every namespace';
  const parts: string[] = [];
  if (list && list.length > 0) parts.push(`lists ${list.join(', ')}`);
  if (!selectorIsEmpty(allowed.selector))
    parts.push(`selects ${JSON.stringify(allowed.selector)}`);
  return parts.length > 0
    ? parts.join(' and ')
    : 'admits no namespace (its list and selector are empty)';
}
