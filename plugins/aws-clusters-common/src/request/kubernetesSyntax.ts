// Kubernetes' own syntax rules for names, label keys and values (apimachinery's validation).

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** @public Why a text is not a DNS-1123 subdomain (a Kubernetes object name), or undefined. */
export function dns1123SubdomainProblem(value: string): string | undefined {
  if (value.length > 253) {
    return 'must be at most 253 characters';
  }
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return "must consist of lowercase letters, digits, '-' and '.', and start and end with a letter or digit";
  }
  return undefined;
}

/** @public Why a text is not a DNS-1123 label, or undefined. */
export function dns1123LabelProblem(value: string): string | undefined {
  if (value.length > 63) {
    return 'must be at most 63 characters';
  }
  if (!DNS1123_LABEL.test(value)) {
    return "must consist of lowercase letters, digits and '-', and start and end with a letter or digit";
  }
  return undefined;
}

/** @public Why a text is not a valid label or annotation key (`[prefix/]name`), or undefined. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) {
    return `key "${key}" may contain at most one '/'`;
  }
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefixProblem = dns1123SubdomainProblem(parts[0]);
    if (parts[0] === '' || prefixProblem) {
      return `key "${key}" has an invalid prefix: it ${
        prefixProblem ?? 'must not be empty'
      }`;
    }
  }
  if (name.length === 0 || name.length > 63) {
    return `key "${key}" needs a name part of 1 to 63 characters`;
  }
  if (!QUALIFIED_NAME_PART.test(name)) {
    return `key "${key}" must consist of letters, digits, '-', '_' and '.', and start and end with a letter or digit`;
  }
  return undefined;
}

/** @public Why a text is not a valid label value, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) {
    return `value "${value}" must be at most 63 characters`;
  }
  if (!LABEL_VALUE.test(value)) {
    return `value "${value}" must be empty or consist of letters, digits, '-', '_' and '.', and start and end with a letter or digit`;
  }
  return undefined;
}
