{{- define "voicehire.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "voicehire.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "voicehire.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "voicehire.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "voicehire.secretName" -}}
{{- .Values.existingSecret | default (printf "%s-secrets" (include "voicehire.fullname" .)) -}}
{{- end -}}

{{/* The settings every container gets: the ConfigMap and the Secret, as environment. */}}
{{- define "voicehire.envFrom" -}}
- configMapRef:
    name: {{ include "voicehire.fullname" . }}-config
- secretRef:
    name: {{ include "voicehire.secretName" . }}
{{- end -}}

{{/* Writable places under a read-only root filesystem. */}}
{{- define "voicehire.volumeMounts" -}}
- name: data
  mountPath: /data
- name: tmp
  mountPath: /tmp
- name: cache
  mountPath: /home/voicehire/.cache
{{- end -}}

{{- define "voicehire.volumes" -}}
- name: data
  emptyDir: {}
- name: tmp
  emptyDir: {}
- name: cache
  emptyDir: {}
{{- end -}}
