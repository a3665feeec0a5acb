package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// object is one rendered manifest, decoded into its API type.
type object struct {
	source string // the template it came from ("# Source:" line)
	gvk    schema.GroupVersionKind
	meta   metav1.Object
	obj    any
}

func (o object) String() string {
	return fmt.Sprintf("%s %s (%s)", o.gvk.Kind, o.meta.GetName(), o.source)
}

var (
	scheme = runtime.NewScheme()
	// strictDecoder refuses unknown and duplicate fields; wrong types fail
	// in any mode.
	strictDecoder runtime.Decoder
)

func init() {
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, batchv1.AddToScheme, autoscalingv2.AddToScheme,
		policyv1.AddToScheme, networkingv1.AddToScheme, rbacv1.AddToScheme,
	} {
		if err := add(scheme); err != nil {
			panic(err)
		}
	}
	strictDecoder = serializer.NewCodecFactory(scheme, serializer.EnableStrict).UniversalDeserializer()
}

// serviceMonitorGVK is the Prometheus Operator's ServiceMonitor, a CRD that
// k8s.io/api does not have: it decodes strictly into the local type below.
var serviceMonitorGVK = schema.GroupVersionKind{Group: "monitoring.coreos.com", Version: "v1", Kind: "ServiceMonitor"}

// ServiceMonitor holds the fields of monitoring.coreos.com/v1 ServiceMonitor
// that the chart uses, named and typed as in the CRD. A field the chart
// starts to use must be added here, or the check fails.
type ServiceMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		JobLabel          string               `json:"jobLabel,omitempty"`
		Selector          metav1.LabelSelector `json:"selector"`
		NamespaceSelector *struct {
			Any        bool     `json:"any,omitempty"`
			MatchNames []string `json:"matchNames,omitempty"`
		} `json:"namespaceSelector,omitempty"`
		Endpoints []struct {
			Port          string              `json:"port,omitempty"`
			TargetPort    *intstr.IntOrString `json:"targetPort,omitempty"`
			Path          string              `json:"path,omitempty"`
			Scheme        string              `json:"scheme,omitempty"`
			Interval      string              `json:"interval,omitempty"`
			ScrapeTimeout string              `json:"scrapeTimeout,omitempty"`
			HonorLabels   bool                `json:"honorLabels,omitempty"`
		} `json:"endpoints"`
	} `json:"spec"`
}

// prometheusRuleGVK is the Prometheus Operator's PrometheusRule, a CRD
// decoded strictly into the local type below.
var prometheusRuleGVK = schema.GroupVersionKind{Group: "monitoring.coreos.com", Version: "v1", Kind: "PrometheusRule"}

// PrometheusRule holds the fields of monitoring.coreos.com/v1
// PrometheusRule that the chart uses, named and typed as in the CRD.
type PrometheusRule struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Groups []struct {
			Name     string `json:"name"`
			Interval string `json:"interval,omitempty"`
			Rules    []struct {
				Alert       string            `json:"alert,omitempty"`
				Record      string            `json:"record,omitempty"`
				Expr        string            `json:"expr"`
				For         string            `json:"for,omitempty"`
				Labels      map[string]string `json:"labels,omitempty"`
				Annotations map[string]string `json:"annotations,omitempty"`
			} `json:"rules"`
		} `json:"groups"`
	} `json:"spec"`
}

// decodeAll splits a multi-document YAML stream and decodes every document
// strictly. Empty documents (a template that rendered nothing) are skipped.
func decodeAll(stream []byte) ([]object, []error) {
	var (
		objs []object
		errs []error
	)
	rd := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(stream)))
	for {
		doc, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs = append(errs, err)
			break
		}
		source := sourceOf(doc)
		if isEmpty(doc) {
			continue
		}
		o, err := decode(doc)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", source, err))
			continue
		}
		o.source = source
		objs = append(objs, o)
	}
	return objs, errs
}

func decode(doc []byte) (object, error) {
	var tm metav1.TypeMeta
	if err := yaml.Unmarshal(doc, &tm); err != nil {
		return object{}, err
	}
	gvk := tm.GroupVersionKind()
	if gvk == serviceMonitorGVK {
		var sm ServiceMonitor
		if err := yaml.UnmarshalStrict(doc, &sm); err != nil {
			return object{}, fmt.Errorf("ServiceMonitor: %w", err)
		}
		return object{gvk: gvk, meta: &sm.ObjectMeta, obj: &sm}, nil
	}
	if gvk == prometheusRuleGVK {
		var pr PrometheusRule
		if err := yaml.UnmarshalStrict(doc, &pr); err != nil {
			return object{}, fmt.Errorf("PrometheusRule: %w", err)
		}
		for _, g := range pr.Spec.Groups {
			for _, r := range g.Rules {
				if (r.Alert == "") == (r.Record == "") || r.Expr == "" {
					return object{}, fmt.Errorf("PrometheusRule group %s: every rule needs an expr and either alert or record", g.Name)
				}
			}
		}
		return object{gvk: gvk, meta: &pr.ObjectMeta, obj: &pr}, nil
	}
	if !scheme.Recognizes(gvk) {
		return object{}, fmt.Errorf("apiVersion %q kind %q is not a Kubernetes API type this check knows", tm.APIVersion, tm.Kind)
	}
	obj, got, err := strictDecoder.Decode(doc, nil, nil)
	if err != nil {
		return object{}, err
	}
	m, err := metaOf(obj)
	if err != nil {
		return object{}, err
	}
	return object{gvk: *got, meta: m, obj: obj}, nil
}

func metaOf(obj runtime.Object) (metav1.Object, error) {
	m, ok := obj.(metav1.Object)
	if !ok {
		return nil, fmt.Errorf("%T has no object metadata", obj)
	}
	return m, nil
}

func sourceOf(doc []byte) string {
	for _, line := range strings.Split(string(doc), "\n") {
		if s, ok := strings.CutPrefix(line, "# Source: "); ok {
			return s
		}
	}
	return "?"
}

// isEmpty reports whether a document holds only comments and blank lines.
func isEmpty(doc []byte) bool {
	for _, line := range strings.Split(string(doc), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") && line != "---" {
			return false
		}
	}
	return true
}

func kindCounts(objs []object) string {
	n := map[string]int{}
	for _, o := range objs {
		n[o.gvk.Kind]++
	}
	kinds := make([]string, 0, len(n))
	for k := range n {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%d %s", n[k], k)
	}
	return strings.Join(parts, ", ")
}

// checkBadManifests makes sure the strict decoder is strict: each manifest
// in dir must fail to decode, with the error its "# want:" lines name.
func checkBadManifests(r *report, dir string) {
	const check = "decoder refuses"
	for _, f := range testFiles(r, check, dir) {
		_, errs := decodeAll(f.content)
		msg := errors.Join(errs...)
		switch {
		case msg == nil:
			r.fail(check, "%s: decoded without error", f.path)
		case len(missing(msg.Error(), f.wants)) > 0:
			r.fail(check, "%s: refused, but the error lacks %q: %v", f.path, missing(msg.Error(), f.wants), msg)
		default:
			r.ok(check, fmt.Sprintf("%s (%s)", f.path, strings.Join(f.wants, "; ")))
		}
	}
}

// ------------------------------------------------------------ consistency --

// anjuComponents are the pods that run the anju image; the dev-* pods are
// throwaway third-party services.
var anjuComponents = map[string]bool{"api": true, "worker": true, "migrate": true}

const componentLabel = "app.kubernetes.io/component"

// workload is a pod template with the object that owns it.
type workload struct {
	owner     object
	component string
	template  *corev1.PodTemplateSpec
}

// checkObjects checks what strict decoding cannot: that names and labels are
// valid, that the objects reference each other correctly, and that the
// anju pods are hardened and probed as Anju needs.
func checkObjects(objs []object) []string {
	var problems []string
	bad := func(o object, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%s: %s", o, fmt.Sprintf(format, args...)))
	}

	byKind := map[string]map[string]object{}
	var workloads []workload
	for _, o := range objs {
		checkMeta(o, bad)
		if byKind[o.gvk.Kind] == nil {
			byKind[o.gvk.Kind] = map[string]object{}
		}
		if _, dup := byKind[o.gvk.Kind][o.meta.GetName()]; dup {
			bad(o, "a second %s with this name", o.gvk.Kind)
		}
		byKind[o.gvk.Kind][o.meta.GetName()] = o
		switch v := o.obj.(type) {
		case *appsv1.Deployment:
			workloads = append(workloads, workload{o, o.meta.GetLabels()[componentLabel], &v.Spec.Template})
			sel, err := metav1.LabelSelectorAsSelector(v.Spec.Selector)
			if err != nil || sel.Empty() || !sel.Matches(labels.Set(v.Spec.Template.Labels)) {
				bad(o, "selector %v does not select its own pod template (labels %v)", v.Spec.Selector, v.Spec.Template.Labels)
			}
		case *batchv1.Job:
			workloads = append(workloads, workload{o, o.meta.GetLabels()[componentLabel], &v.Spec.Template})
		}
	}

	shutdown := shutdownSeconds(byKind["ConfigMap"])
	components := map[string]bool{}
	for _, w := range workloads {
		components[w.component] = true
		checkPod(w, byKind, shutdown, bad)
	}
	for _, c := range []string{"api", "worker"} {
		if !components[c] {
			problems = append(problems, fmt.Sprintf("no Deployment with component %q", c))
		}
	}

	selects := func(sel *metav1.LabelSelector) []workload {
		s, err := metav1.LabelSelectorAsSelector(sel)
		if err != nil || s.Empty() {
			return nil
		}
		var out []workload
		for _, w := range workloads {
			if s.Matches(labels.Set(w.template.Labels)) {
				out = append(out, w)
			}
		}
		return out
	}

	for _, o := range objs {
		switch v := o.obj.(type) {
		case *corev1.Service:
			ws := selects(&metav1.LabelSelector{MatchLabels: v.Spec.Selector})
			if len(ws) == 0 {
				bad(o, "selector %v selects no pod template", v.Spec.Selector)
			}
			for _, p := range v.Spec.Ports {
				for _, w := range ws {
					if p.TargetPort.Type == intstr.String && !hasPort(w.template, p.TargetPort.StrVal) {
						bad(o, "targetPort %q is not a container port of %s", p.TargetPort.StrVal, w.owner)
					}
				}
			}
		case *autoscalingv2.HorizontalPodAutoscaler:
			ref := v.Spec.ScaleTargetRef
			d, ok := byKind[ref.Kind][ref.Name]
			if !ok {
				bad(o, "scales %s %s, which is not rendered", ref.Kind, ref.Name)
				break
			}
			if dep, ok := d.obj.(*appsv1.Deployment); ok && dep.Spec.Replicas != nil {
				bad(o, "%s also sets spec.replicas, which every upgrade would reset under the autoscaler", d)
			}
			if v.Spec.MinReplicas != nil && *v.Spec.MinReplicas > v.Spec.MaxReplicas {
				bad(o, "minReplicas %d > maxReplicas %d", *v.Spec.MinReplicas, v.Spec.MaxReplicas)
			}
		case *policyv1.PodDisruptionBudget:
			if len(selects(v.Spec.Selector)) == 0 {
				bad(o, "selector selects no pod template")
			}
		case *networkingv1.NetworkPolicy:
			if len(selects(&v.Spec.PodSelector)) == 0 {
				bad(o, "podSelector selects no pod template")
			}
		case *networkingv1.Ingress:
			for _, rule := range v.Spec.Rules {
				if rule.HTTP == nil {
					continue
				}
				for _, p := range rule.HTTP.Paths {
					svc, ok := byKind["Service"][p.Backend.Service.Name]
					if !ok {
						bad(o, "backend Service %q is not rendered", p.Backend.Service.Name)
						continue
					}
					if !serviceHasPort(svc.obj.(*corev1.Service), p.Backend.Service.Port) {
						bad(o, "backend port %v is not a port of %s", p.Backend.Service.Port, svc)
					}
					if p.Path == "/" || p.Path == "/metrics" {
						bad(o, "routes %q publicly, which exposes /metrics", p.Path)
					}
				}
			}
		case *ServiceMonitor:
			var selected []*corev1.Service
			s, _ := metav1.LabelSelectorAsSelector(&v.Spec.Selector)
			for _, svc := range byKind["Service"] {
				if s != nil && s.Matches(labels.Set(svc.meta.GetLabels())) {
					selected = append(selected, svc.obj.(*corev1.Service))
				}
			}
			if len(selected) == 0 {
				bad(o, "selector selects no Service")
			}
			for _, ep := range v.Spec.Endpoints {
				found := false
				for _, svc := range selected {
					found = found || serviceHasPort(svc, networkingv1.ServiceBackendPort{Name: ep.Port})
				}
				if !found {
					bad(o, "endpoint port %q is a port of no selected Service", ep.Port)
				}
			}
		}
	}
	return problems
}

func checkMeta(o object, bad func(object, string, ...any)) {
	name := o.meta.GetName()
	var errs []string
	switch o.gvk.Kind {
	case "Service":
		errs = validation.IsDNS1035Label(name)
	default:
		errs = validation.IsDNS1123Subdomain(name)
	}
	for _, e := range errs {
		bad(o, "name: %s", e)
	}
	for k, v := range o.meta.GetLabels() {
		for _, e := range validation.IsQualifiedName(k) {
			bad(o, "label key %q: %s", k, e)
		}
		for _, e := range validation.IsValidLabelValue(v) {
			bad(o, "label %s=%q: %s", k, v, e)
		}
	}
	for k := range o.meta.GetAnnotations() {
		for _, e := range validation.IsQualifiedName(strings.ToLower(k)) {
			bad(o, "annotation key %q: %s", k, e)
		}
	}
}

// checkPod checks one pod template.
func checkPod(w workload, byKind map[string]map[string]object, shutdown int64, bad func(object, string, ...any)) {
	o, spec := w.owner, &w.template.Spec
	for k, v := range w.template.Labels {
		for _, e := range validation.IsValidLabelValue(v) {
			bad(o, "pod label %s=%q: %s", k, v, e)
		}
	}
	volumes := map[string]corev1.Volume{}
	for _, v := range spec.Volumes {
		volumes[v.Name] = v
		if v.ConfigMap != nil {
			if _, ok := byKind["ConfigMap"][v.ConfigMap.Name]; !ok {
				bad(o, "volume %q: ConfigMap %q is not rendered", v.Name, v.ConfigMap.Name)
			}
		}
	}
	containers := append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...)
	for _, c := range containers {
		for _, e := range validation.IsDNS1123Label(c.Name) {
			bad(o, "container name %q: %s", c.Name, e)
		}
		for _, p := range c.Ports {
			if p.Name != "" {
				for _, e := range validation.IsValidPortName(p.Name) {
					bad(o, "port name %q: %s", p.Name, e)
				}
			}
		}
		for _, e := range c.Env {
			for _, msg := range validation.IsEnvVarName(e.Name) {
				bad(o, "env %q: %s", e.Name, msg)
			}
		}
		for _, ef := range c.EnvFrom {
			if ef.ConfigMapRef != nil {
				if _, ok := byKind["ConfigMap"][ef.ConfigMapRef.Name]; !ok {
					bad(o, "envFrom: ConfigMap %q is not rendered", ef.ConfigMapRef.Name)
				}
			}
		}
		for _, m := range c.VolumeMounts {
			if _, ok := volumes[m.Name]; !ok {
				bad(o, "container %s mounts volume %q, which the pod does not have", c.Name, m.Name)
			}
		}
		for name, p := range map[string]*corev1.Probe{"liveness": c.LivenessProbe, "readiness": c.ReadinessProbe, "startup": c.StartupProbe} {
			if p == nil {
				continue
			}
			var port intstr.IntOrString
			switch {
			case p.HTTPGet != nil:
				port = p.HTTPGet.Port
			case p.TCPSocket != nil:
				port = p.TCPSocket.Port
			default:
				continue
			}
			if port.Type == intstr.String && !hasPort(w.template, port.StrVal) {
				bad(o, "%s probe port %q is not a port of container %s", name, port.StrVal, c.Name)
			}
		}
	}

	if !anjuComponents[w.component] {
		return
	}
	// The anju pods: hardened, sized, probed, and given the right command.
	if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
		bad(o, "automountServiceAccountToken must be false: anju never calls the Kubernetes API")
	}
	psc := spec.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
		bad(o, "pod securityContext.runAsNonRoot must be true")
	}
	if psc == nil || psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		bad(o, "pod securityContext.seccompProfile must be RuntimeDefault")
	}
	if psc != nil && psc.RunAsUser != nil && *psc.RunAsUser == 0 {
		bad(o, "pod runs as uid 0")
	}
	if w.owner.gvk.Kind == "Deployment" {
		if g := spec.TerminationGracePeriodSeconds; g == nil || (shutdown > 0 && *g <= shutdown) {
			bad(o, "terminationGracePeriodSeconds must exceed ANJU_SHUTDOWN_TIMEOUT (%ds) so that pods drain", shutdown)
		}
	}
	image := ""
	for _, c := range containers {
		sc := c.SecurityContext
		switch {
		case sc == nil:
			bad(o, "container %s has no securityContext", c.Name)
			continue
		case sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem:
			bad(o, "container %s: readOnlyRootFilesystem must be true", c.Name)
		case sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation:
			bad(o, "container %s: allowPrivilegeEscalation must be false", c.Name)
		case sc.Privileged != nil && *sc.Privileged:
			bad(o, "container %s is privileged", c.Name)
		case sc.Capabilities == nil || len(sc.Capabilities.Drop) != 1 || sc.Capabilities.Drop[0] != "ALL" || len(sc.Capabilities.Add) > 0:
			bad(o, "container %s must drop ALL capabilities and add none", c.Name)
		}
		if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() {
			bad(o, "container %s needs cpu and memory requests (the autoscaler and scheduler use them)", c.Name)
		}
		if c.Resources.Limits.Memory().IsZero() {
			bad(o, "container %s needs a memory limit", c.Name)
		}
		if image != "" && c.Image != image {
			bad(o, "container %s runs %s, not the anju image %s", c.Name, c.Image, image)
		}
		image = c.Image
	}
	if len(spec.Containers) != 1 {
		bad(o, "want one container, got %d", len(spec.Containers))
		return
	}
	c := spec.Containers[0]
	args := strings.Join(c.Args, " ")
	probePath := func(p *corev1.Probe) string {
		if p == nil || p.HTTPGet == nil {
			return ""
		}
		return p.HTTPGet.Path
	}
	switch w.component {
	case "api":
		if args != "api" {
			bad(o, "args %q, want \"api\"", args)
		}
		if probePath(c.LivenessProbe) != "/healthz" || probePath(c.ReadinessProbe) != "/readyz" {
			bad(o, "liveness must be /healthz and readiness /readyz (got %q, %q)", probePath(c.LivenessProbe), probePath(c.ReadinessProbe))
		}
	case "worker":
		if args != "worker" {
			bad(o, "args %q, want \"worker\"", args)
		}
		if probePath(c.LivenessProbe) != "/healthz" {
			bad(o, "liveness must be /healthz (got %q)", probePath(c.LivenessProbe))
		}
	case "migrate":
		if args != "migrate up" {
			bad(o, "args %q, want \"migrate up\"", args)
		}
		hook := o.meta.GetAnnotations()["helm.sh/hook"]
		if hook != "pre-install,pre-upgrade" {
			bad(o, "helm.sh/hook is %q, want pre-install,pre-upgrade", hook)
		}
		if len(c.EnvFrom) > 0 {
			bad(o, "a pre-install hook runs before the chart's ConfigMap exists; set env inline")
		}
		if spec.ServiceAccountName != "" {
			if _, ok := byKind["ServiceAccount"][spec.ServiceAccountName]; ok {
				bad(o, "uses ServiceAccount %s of the chart, which a pre-install hook runs before", spec.ServiceAccountName)
			}
		}
	}
}

// shutdownSeconds reads ANJU_SHUTDOWN_TIMEOUT (e.g. "25s") from the
// rendered ConfigMap, or 0.
func shutdownSeconds(cms map[string]object) int64 {
	for _, o := range cms {
		cm := o.obj.(*corev1.ConfigMap)
		var n int64
		if _, err := fmt.Sscanf(cm.Data["ANJU_SHUTDOWN_TIMEOUT"], "%ds", &n); err == nil {
			return n
		}
	}
	return 0
}

// anjuRunAsUser returns the pod-level runAsUser of the first anju pod, or 0.
func anjuRunAsUser(objs []object) int64 {
	for _, o := range objs {
		t := podTemplate(o)
		if t == nil || !anjuComponents[o.meta.GetLabels()[componentLabel]] {
			continue
		}
		if sc := t.Spec.SecurityContext; sc != nil && sc.RunAsUser != nil {
			return *sc.RunAsUser
		}
	}
	return 0
}

// podTemplate returns the pod template of a Deployment or Job, or nil.
func podTemplate(o object) *corev1.PodTemplateSpec {
	switch v := o.obj.(type) {
	case *appsv1.Deployment:
		return &v.Spec.Template
	case *batchv1.Job:
		return &v.Spec.Template
	}
	return nil
}

func hasPort(t *corev1.PodTemplateSpec, name string) bool {
	for _, c := range t.Spec.Containers {
		for _, p := range c.Ports {
			if p.Name == name {
				return true
			}
		}
	}
	return false
}

func serviceHasPort(svc *corev1.Service, port networkingv1.ServiceBackendPort) bool {
	for _, p := range svc.Spec.Ports {
		if (port.Name != "" && p.Name == port.Name) || (port.Number != 0 && p.Port == port.Number) {
			return true
		}
	}
	return false
}
