{{/* Name of every object of a release. */}}
{{- define "didbridge.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels that select the driver's pods (the component keeps the Redis pods out of the driver's selectors). */}}
{{- define "didbridge.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: driver
{{- end -}}

{{/* Labels that select the chart's Redis pods. */}}
{{- define "didbridge.redisSelectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: cache
{{- end -}}

{{/* Labels every object of the release carries. */}}
{{- define "didbridge.commonLabels" -}}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Labels of the driver's objects. */}}
{{- define "didbridge.labels" -}}
{{ include "didbridge.selectorLabels" . }}
{{ include "didbridge.commonLabels" . }}
{{- end -}}

{{/* Labels of the Redis objects. */}}
{{- define "didbridge.redisLabels" -}}
{{ include "didbridge.redisSelectorLabels" . }}
{{ include "didbridge.commonLabels" . }}
{{- end -}}

{{/* The image, pinned to the chart's appVersion unless a tag is given. */}}
{{- define "didbridge.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/* DIDBRIDGE_REDIS_URL: the chart's Redis, or the one given in values (empty: in-process cache only). */}}
{{- define "didbridge.redisUrl" -}}
{{- if .Values.redis.enabled -}}
{{- printf "redis://%s-redis:6379" (include "didbridge.fullname" .) -}}
{{- else -}}
{{- .Values.redis.url -}}
{{- end -}}
{{- end -}}
