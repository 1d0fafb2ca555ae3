import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  FormControl,
  FormHelperText,
  InputLabel,
  MenuItem,
  Select,
  TextField,
} from '@material-ui/core';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { AwsClustersApi, awsClustersApiRef } from '../../api';

/** One choice of a reference picker: the value it stores and what the user reads. */
export interface ReferenceChoice {
  value: string;
  label: string;
}

/** The value of another field of the same form, which a picker's choices depend on. */
function formValue(
  props: FieldExtensionComponentProps<any, any>,
  field: string,
): string | undefined {
  const value = (props.formContext as any)?.formData?.[field];
  return typeof value === 'string' && value ? value : undefined;
}

/** The fields pickers depend on, by the `ui:options` key that renames them, with the templates' names. */
const DEPENDENCY_FIELDS = {
  managementClusterField: 'managementCluster',
  accountField: 'accountId',
  regionField: 'region',
  ownerField: 'owner',
  flavorField: 'flavor',
  clusterField: 'cluster',
} as const;

/** The `ui:options` that name the form fields a picker depends on, where a template names them otherwise. */
export interface DependencyFieldOptions {
  /** The management cluster's name (default `managementCluster`). */
  managementClusterField?: string;
  /** The AWS account id (default `accountId`). */
  accountField?: string;
  /** The region (default `region`). */
  regionField?: string;
  /** The owning team (default `owner`). */
  ownerField?: string;
  /** `ec2` or `eks` (default `flavor`). */
  flavorField?: string;
  /** An existing cluster, as `ClusterdeckClusterPicker` stores it (default `cluster`). */
  clusterField?: string;
}

/** What a picker says in each state, and what it loads. */
export interface ReferenceSelectOptions {
  title: string;
  /** Set when a field the choices depend on is empty: what to choose first. */
  waitingFor?: string;
  /** The choices; `undefined` when nothing lists them, and the value is typed instead. */
  load: () => Promise<ReferenceChoice[] | undefined>;
  deps: unknown[];
  loading: string;
  empty: string;
  /** What failed when the choices cannot be loaded; "<title> could not be loaded" by default. */
  failed?: string;
  /** An empty choice for an optional field, with this label. */
  noneLabel?: string;
  /**
   * When nothing is chosen yet, choose these of the loaded values. One picker per form page at
   * most: a form takes the changes of two fields made in the same moment as one, and keeps only
   * the last.
   */
  initial?: (choices: ReferenceChoice[]) => string[];
}

/**
 * A select over references the backend lists. A value that is no longer among the choices (the
 * account or management cluster changed) is cleared, so the form never sends a reference that
 * belongs to an earlier choice.
 */
export function ReferenceSelect(props: {
  field: FieldExtensionComponentProps<any, any>;
  options: ReferenceSelectOptions;
}) {
  const { formData, onChange, schema, rawErrors, required, idSchema } =
    props.field;
  const o = props.options;
  const multiple = schema.type === 'array';
  // What was typed into the text field that stands in where nothing lists the choices.
  const [typed, setTyped] = useState<string>();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const {
    value: choices,
    loading,
    error,
  } = useAsync(
    async () => (o.waitingFor ? [] : o.load()),
    [o.waitingFor, ...o.deps],
  );
  // A form may start an array field with empty items (for its minItems): they are no choice.
  const values: string[] = (
    Array.isArray(formData) ? formData : [formData]
  ).filter((v: unknown): v is string => typeof v === 'string' && v !== '');

  useEffect(() => {
    if (loading || error || !choices) return;
    const offered = new Set(choices.map(c => c.value));
    const kept = values.filter(v => offered.has(v));
    const chosen =
      kept.length === 0 && o.initial && !o.waitingFor
        ? o.initial(choices)
        : kept;
    const given = Array.isArray(formData)
      ? formData
      : [formData].filter(v => v !== undefined);
    if (
      chosen.length !== given.length ||
      chosen.some((v, k) => v !== given[k])
    ) {
      onChange(multiple ? chosen : chosen[0]);
    }
    // Only a new list of choices can make the value stale.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [choices, loading, error]);

  const id = idSchema?.$id ?? 'clusterdeck-reference';
  const title = schema.title ?? o.title;
  let help: string | undefined = schema.description;
  if (o.waitingFor) help = o.waitingFor;
  else if (loading) help = o.loading;
  else if (error)
    help = `${o.failed ?? `${title} could not be loaded`}: ${error.message}`;
  else if (choices && choices.length === 0) help = o.empty;
  const invalid = !!error || (rawErrors?.length ?? 0) > 0;

  if (!loading && !error && !o.waitingFor && choices === undefined) {
    return (
      <TextField
        id={id}
        label={title}
        margin="normal"
        fullWidth
        required={required}
        error={invalid}
        value={multiple ? typed ?? values.join(', ') : formData ?? ''}
        onChange={e => {
          if (!multiple) {
            onChange(e.target.value || undefined);
            return;
          }
          // An array field takes the typed names as a list, separated by commas.
          setTyped(e.target.value);
          const list = e.target.value
            .split(',')
            .map(v => v.trim())
            .filter(Boolean);
          onChange(list.length ? list : undefined);
        }}
        helperText={
          schema.description ??
          (multiple
            ? 'Nothing lists these yet: type them, separated by commas; the platform team can list them in the configuration.'
            : 'Nothing lists these yet: type it; the platform team can list them in the configuration.')
        }
      />
    );
  }
  return (
    <FormControl margin="normal" fullWidth required={required} error={invalid}>
      <InputLabel id={`${id}-label`}>{title}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        multiple={multiple}
        value={multiple ? values : values[0] ?? ''}
        disabled={loading || !!error || !!o.waitingFor}
        onChange={e => {
          const next = e.target.value as string | string[];
          if (multiple) onChange(next as string[]);
          else onChange((next as string) || undefined);
        }}
      >
        {o.noneLabel && !multiple && (
          <MenuItem value="">
            <em>{o.noneLabel}</em>
          </MenuItem>
        )}
        {(choices ?? []).map(choice => (
          <MenuItem key={choice.value} value={choice.value}>
            {choice.label}
          </MenuItem>
        ))}
      </Select>
      {help && <FormHelperText>{help}</FormHelperText>}
    </FormControl>
  );
}

/** What a reference picker is given to say what it loads: the API, the field and its `ui:options`. */
export interface ReferencePickerContext<T, O extends {}> {
  api: AwsClustersApi;
  field: FieldExtensionComponentProps<T, O>;
  options: Partial<O>;
  /** The value of a field the picker depends on, named by its `ui:options` key. */
  dependency(key: keyof DependencyFieldOptions & keyof O): string | undefined;
}

/**
 * A form field that picks among references the aws-clusters backend lists: `options` says, for
 * the field as it stands, what it loads and says. The loads depend on the API besides the values
 * `options` names in `deps`.
 */
export function referencePicker<T, O extends {} = {}>(
  options: (
    context: ReferencePickerContext<T, O>,
  ) => Omit<ReferenceSelectOptions, 'deps'> & { deps?: unknown[] },
) {
  return function ReferencePicker(props: FieldExtensionComponentProps<T, O>) {
    const api = useApi(awsClustersApiRef);
    const uiOptions: Partial<O> = props.uiSchema?.['ui:options'] ?? {};
    const o = options({
      api,
      field: props,
      options: uiOptions,
      dependency: key =>
        formValue(
          props,
          (uiOptions as DependencyFieldOptions)[key] ?? DEPENDENCY_FIELDS[key],
        ),
    });
    return (
      <ReferenceSelect
        field={props}
        options={{ ...o, deps: [api, ...(o.deps ?? [])] }}
      />
    );
  };
}
