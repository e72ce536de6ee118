using System.Globalization;
using System.Text;
using Fanout.Tests.Deploy.Support;
using YamlDotNet.RepresentationModel;
using static Fanout.Tests.Deploy.Support.Yaml;

namespace Fanout.Tests.Deploy;

/// <summary>
/// deploy/k8s as `kubectl kustomize` renders it (no cluster), with the secret files its generators read written by
/// the spec: hardened workloads, NetworkPolicies, a migration Job and a restricted database role, mutual TLS on
/// remoting, and no secret in a committed manifest.
/// </summary>
public sealed class DeploymentKubernetesSpecs
{
    private static readonly string[] WorkloadKinds = ["Deployment", "StatefulSet", "Job"];

    [Fact]
    public async Task The_default_kustomization_renders_the_cluster_a_postgres_server_and_the_secrets_generated_from_uncommitted_files()
    {
        using var tree = KustomizeTree.Create(withSecrets: true);
        var objects = await tree.ObjectsAsync("");

        AssertTheCluster(objects);

        var postgres = Find(objects, "StatefulSet", "postgres");
        Assert.Equal("postgres:15", Text(Container(postgres), "image"));
        AssertRunsAsNonRoot(postgres);
        Assert.NotNull(Find(objects, "Service", "postgres"));

        // The workers' and the Job's connection strings come from different generated Secrets: the restricted role and the owner.
        var workerConnection = SecretValue(objects, SecretRef(Container(Find(objects, "Deployment", "worker")), "FANOUT_CONNECTION_STRING"));
        var ownerConnection = SecretValue(objects, SecretRef(Container(Find(objects, "Job", "fanout-migrate")), "FANOUT_CONNECTION_STRING"));
        Assert.Contains("Username=fanout;", workerConnection);
        Assert.Contains("Username=fanout_owner;", ownerConnection);
        var credentials = Find(objects, "Secret", "postgres-credentials");
        Assert.Equal("fanout_owner", Decode(Text(credentials, "data", "POSTGRES_USER")));
        Assert.Equal($"app-{KustomizeTree.Sentinel}", Decode(Text(credentials, "data", "FANOUT_DB_PASSWORD")));

        // PostgreSQL makes the restricted role on its first start with the committed init script, run (not sourced).
        var init = Find(objects, "ConfigMap", "postgres-init");
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(DeployTools.Root, "deploy/k8s/postgres/init-restricted-role.sh")),
            Text(init, "data", "init-restricted-role.sh"));
        var initVolume = Volumes(postgres).Single(v => Get(v, "configMap") is not null);
        Assert.Equal(Text(init, "metadata", "name"), Text(initVolume, "configMap", "name"));
        Assert.Equal("365", Text(initVolume, "configMap", "defaultMode")); // 0555
        Assert.Contains(Items(Get(Container(postgres), "volumeMounts")),
            m => Text(m, "mountPath") == "/docker-entrypoint-initdb.d" && Text(m, "name") == Text(initVolume, "name"));
        Assert.Contains(Items(Get(Container(postgres), "envFrom")), e => Text(e, "secretRef", "name") == Text(credentials, "metadata", "name"));

        // PostgreSQL admits its clients only: the workers and the Job.
        var database = Find(objects, "NetworkPolicy", "postgres");
        var rule = Assert.Single(Items(Get(database, "spec", "ingress")));
        Assert.Equal(["postgres"], Items(Get(rule, "ports")).Select(p => Text(p, "port")));
        var clients = (YamlMappingNode)Get(Assert.Single(Items(Get(rule, "from"))), "podSelector", "matchLabels")!;
        foreach (var (kind, name) in new[] { ("Deployment", "worker"), ("Job", "fanout-migrate") })
            foreach (var (key, value) in clients.Children)
                Assert.Equal(Scalar(value), Text(Find(objects, kind, name), "spec", "template", "metadata", "labels", Scalar(key)!));
        Assert.Null(Get(Find(objects, "StatefulSet", "lighthouse"), "spec", "template", "metadata", "labels", Scalar(clients.Children.Keys.First())!));
    }

    [Fact]
    public async Task The_external_db_kustomization_renders_the_cluster_alone_reading_both_connection_strings_from_existing_secrets()
    {
        using var tree = KustomizeTree.Create(withSecrets: true);
        var objects = await tree.ObjectsAsync("external-db");

        AssertTheCluster(objects);

        Assert.DoesNotContain(objects, o => Text(o, "metadata", "name") == "postgres");
        // The database's Secrets are the operator's, made beforehand; rendering them would overwrite them.
        Assert.Equal("fanout-db", SecretRef(Container(Find(objects, "Deployment", "worker")), "FANOUT_CONNECTION_STRING").Name);
        Assert.Equal("fanout-db-owner", SecretRef(Container(Find(objects, "Job", "fanout-migrate")), "FANOUT_CONNECTION_STRING").Name);
        Assert.DoesNotContain(objects, o => Text(o, "kind") == "Secret" && Text(o, "metadata", "name").StartsWith("fanout-db", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("external-db")]
    public async Task Every_container_runs_hardened_with_resources_and_a_versioned_image(string variant)
    {
        using var tree = KustomizeTree.Create(withSecrets: true);
        var objects = await tree.ObjectsAsync(variant);
        var workloads = objects.Where(o => WorkloadKinds.Contains(Text(o, "kind"))).ToList();
        Assert.Contains(workloads, w => Text(w, "metadata", "name") == "fanout-migrate");

        foreach (var workload in workloads)
        {
            var name = $"{Text(workload, "kind")} {Text(workload, "metadata", "name")}";
            var pod = Get(workload, "spec", "template", "spec");
            Assert.True(Get(pod, "automountServiceAccountToken") is YamlScalarNode { Value: "false" }, $"{name}: mounts a service account token");
            var containers = Items(Get(pod, "containers")).Concat(Items(Get(pod, "initContainers"))).ToList();
            Assert.NotEmpty(containers);
            foreach (var container in containers)
            {
                var where = $"{name}, container {Text(container, "name")}";
                var security = Get(container, "securityContext");
                Assert.True(Get(security, "readOnlyRootFilesystem") is YamlScalarNode { Value: "true" }, $"{where}: readOnlyRootFilesystem is not true");
                Assert.True(Get(security, "allowPrivilegeEscalation") is YamlScalarNode { Value: "false" }, $"{where}: allowPrivilegeEscalation is not false");
                Assert.True(Get(security, "runAsNonRoot") is YamlScalarNode { Value: "true" }, $"{where}: runAsNonRoot is not true");
                Assert.True(Items(Get(security, "capabilities", "drop")).Select(Scalar).Contains("ALL"), $"{where}: does not drop ALL capabilities");
                var seccomp = Get(security, "seccompProfile", "type") ?? Get(pod, "securityContext", "seccompProfile", "type");
                Assert.True(seccomp is YamlScalarNode { Value: "RuntimeDefault" }, $"{where}: its seccomp profile is not RuntimeDefault");
                foreach (var request in new[] { "cpu", "memory" })
                    Assert.True(Get(container, "resources", "requests", request) is YamlScalarNode, $"{where}: requests no {request}");
                Assert.True(Get(container, "resources", "limits", "memory") is YamlScalarNode, $"{where}: has no memory limit");

                var image = Text(container, "image");
                var tag = image.Contains(':', StringComparison.Ordinal) ? image[(image.LastIndexOf(':') + 1)..] : "";
                Assert.True(tag.Length > 0 && tag != "latest", $"{where}: image {image} is not tagged by version");
                if (image.StartsWith("fanout/", StringComparison.Ordinal))
                    Assert.Equal(DeploymentImageSpecs.Version, tag);
            }
            AssertRunsAsNonRoot(workload);
        }
    }

    [Fact]
    public async Task Without_the_secret_files_the_render_fails_naming_the_file_to_make()
    {
        using var tree = KustomizeTree.Create(withSecrets: false);

        var (exitCode, output) = await tree.RenderAsync("");

        Assert.True(exitCode != 0, $"deploy/k8s rendered without its secret files:\n{output}");
        Assert.Contains("secrets/api.env", output);
    }

    [Fact]
    public void No_committed_manifest_holds_a_secret()
    {
        var manifests = Directory.GetFiles(Path.Combine(DeployTools.Root, "deploy", "k8s"), "*.yaml", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}secrets{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                           && !path.Contains($"{Path.DirectorySeparatorChar}certs{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(manifests);
        foreach (var path in manifests)
        {
            var yaml = new YamlStream();
            yaml.Load(new StringReader(File.ReadAllText(path)));
            foreach (var document in yaml.Documents.Select(d => d.RootNode))
            {
                Assert.False(Get(document, "kind") is YamlScalarNode { Value: "Secret" }, $"{path}: a Secret in a committed manifest");
                foreach (var value in AllScalars(document))
                {
                    Assert.DoesNotMatch("Password=(?!\\.\\.\\.|\\$\\()", value);
                    Assert.DoesNotMatch("(?i)^(POSTGRES_PASSWORD|FANOUT_DB_PASSWORD|token|viewer-token)=", value);
                }
            }
        }
    }

    [Fact]
    public async Task NetworkPolicies_admit_remoting_from_the_clusters_own_pods_and_HTTP_from_the_serving_namespace_only()
    {
        using var tree = KustomizeTree.Create(withSecrets: true);
        var objects = await tree.ObjectsAsync("");

        var remoting = Find(objects, "NetworkPolicy", "fanout-cluster");
        var members = Get(remoting, "spec", "podSelector", "matchLabels") as YamlMappingNode
                      ?? throw new Xunit.Sdk.XunitException("fanout-cluster selects no pods by label");
        var remotingRule = Assert.Single(Items(Get(remoting, "spec", "ingress")));
        Assert.Equal(["akka"], Items(Get(remotingRule, "ports")).Select(p => Text(p, "port")));
        var source = Assert.Single(Items(Get(remotingRule, "from")));
        Assert.Equal(["podSelector"], Names(source));
        Assert.Equal(members.ToString(), Get(source, "podSelector", "matchLabels")!.ToString());

        var api = Find(objects, "NetworkPolicy", "fanout-api");
        var apiRule = Assert.Single(Items(Get(api, "spec", "ingress")));
        Assert.Equal(["http"], Items(Get(apiRule, "ports")).Select(p => Text(p, "port")));
        Assert.Contains(Items(Get(apiRule, "from")), f => Get(f, "namespaceSelector", "matchLabels") is YamlMappingNode);
        Assert.DoesNotContain(Items(Get(apiRule, "from")), f => Get(f, "ipBlock") is not null);

        foreach (var (kind, name) in new[] { ("StatefulSet", "lighthouse"), ("Deployment", "worker") })
        {
            var workload = Find(objects, kind, name);
            var labels = Get(workload, "spec", "template", "metadata", "labels");
            foreach (var (key, value) in ((YamlMappingNode)members).Children)
                Assert.True(Get(labels, Scalar(key)!) is YamlScalarNode s && s.Value == Scalar(value),
                    $"{kind} {name}'s pods lack the label {Scalar(key)}: {Scalar(value)} that admits them to remoting");
            // Remoting and HTTP are the only ports, and each is named as the policies name it.
            var ports = Items(Get(Container(workload), "ports")).Select(p => Text(p, "name")).ToList();
            Assert.Contains("akka", ports);
            Assert.Equal(name == "worker" ? ["akka", "http"] : ["akka"], ports.Order(StringComparer.Ordinal));
        }
        Assert.Equal("worker", Text(api, "spec", "podSelector", "matchLabels", "app.kubernetes.io/component"));
        // The Job migrates and leaves: it is no member of the cluster.
        Assert.Null(Get(Find(objects, "Job", "fanout-migrate"), "spec", "template", "metadata", "labels", Scalar(members.Children.Keys.First())!));
    }

    [Fact]
    public async Task The_tls_component_turns_on_mutual_TLS_with_the_certificate_and_the_CA_from_two_secrets()
    {
        using var tree = KustomizeTree.Create(withSecrets: true);
        var objects = await tree.ObjectsAsync("");

        var config = Find(objects, "ConfigMap", "fanout-config");
        Assert.All(Text(config, "data", "CLUSTER_SEEDS").Split(','), seed => Assert.StartsWith("akka.ssl.tcp://fanout@", seed));
        var certificate = Text(config, "data", "FANOUT_TLS_CERTIFICATE");
        var password = Text(config, "data", "FANOUT_TLS_CERTIFICATE_PASSWORD_FILE");
        var ca = Text(config, "data", "FANOUT_TLS_CA");

        var cert = Find(objects, "Secret", "fanout-remoting-cert");
        Assert.Equal(["node.pfx", "pfx-password"], Names(Get(cert, "data")).Order(StringComparer.Ordinal));
        var caSecret = Find(objects, "Secret", "fanout-remoting-ca");
        // The CA's certificate alone: its key stays with whoever makes certificates.
        Assert.Equal(["ca.crt"], Names(Get(caSecret, "data")));
        Assert.DoesNotContain(objects.Where(o => Text(o, "kind") == "Secret"), s => Names(Get(s, "data")).Any(k => k.EndsWith(".key", StringComparison.Ordinal)));

        foreach (var (kind, name) in new[] { ("StatefulSet", "lighthouse"), ("Deployment", "worker") })
        {
            var workload = Find(objects, kind, name);
            var container = Container(workload);
            foreach (var (path, secret) in new[] { (certificate, cert), (password, cert), (ca, caSecret) })
            {
                var mount = Items(Get(container, "volumeMounts")).SingleOrDefault(m => path.StartsWith(Text(m, "mountPath") + "/", StringComparison.Ordinal))
                            ?? throw new Xunit.Sdk.XunitException($"{kind} {name} mounts nothing at {path}");
                Assert.Equal("true", Text(mount, "readOnly"));
                var volume = Volumes(workload).Single(v => Text(v, "name") == Text(mount, "name"));
                Assert.Equal(Text(secret, "metadata", "name"), Text(volume, "secret", "secretName"));
                Assert.Contains(Path.GetFileName(path), Names(Get(secret, "data")));
            }
            if (name == "worker")
                Assert.Contains(Items(Get(container, "envFrom")), e => Text(e, "configMapRef", "name") == "fanout-config");
            else
                foreach (var variable in new[] { "FANOUT_TLS_CERTIFICATE", "FANOUT_TLS_CERTIFICATE_PASSWORD_FILE", "FANOUT_TLS_CA" })
                    Assert.Equal(variable, Text(EnvEntry(container, variable), "valueFrom", "configMapKeyRef", "key"));
        }
    }

    /// <summary>What both variants deploy: lighthouses with stable names that the seeds list, workers that drain and leave, the migration.</summary>
    private static void AssertTheCluster(IReadOnlyList<YamlNode> objects)
    {
        var version = DeploymentImageSpecs.Version;
        Assert.NotNull(Find(objects, "Namespace", "fanout"));
        foreach (var o in objects.Where(o => Text(o, "kind") != "Namespace"))
            Assert.Equal("fanout", Text(o, "metadata", "namespace"));

        var headless = Find(objects, "Service", "lighthouse");
        Assert.Equal("None", Text(headless, "spec", "clusterIP"));
        var lighthouses = Find(objects, "StatefulSet", "lighthouse");
        Assert.Equal("lighthouse", Text(lighthouses, "spec", "serviceName"));
        Assert.Equal($"fanout/lighthouse:{version}", Text(Container(lighthouses), "image"));
        // Each lighthouse binds and is known by its pod's stable DNS name, and every one of them is a seed.
        Assert.Equal("$(POD_NAME).lighthouse.$(POD_NAMESPACE).svc.cluster.local", Text(EnvEntry(Container(lighthouses), "CLUSTER_IP"), "value"));
        var config = Find(objects, "ConfigMap", "fanout-config");
        var replicas = int.Parse(Text(lighthouses, "spec", "replicas"), CultureInfo.InvariantCulture);
        Assert.Equal(
            Enumerable.Range(0, replicas).Select(i => $"akka.ssl.tcp://fanout@lighthouse-{i}.lighthouse.fanout.svc.cluster.local:4053"),
            Text(config, "data", "CLUSTER_SEEDS").Split(','));
        Assert.Equal("postgres", Text(config, "data", "FANOUT_JOURNAL"));
        Assert.Equal("false", Text(config, "data", "FANOUT_CREATE_SCHEMA"));
        Assert.Null(Get(config, "data", "FANOUT_TASK_ASSEMBLIES"));

        var workers = Find(objects, "Deployment", "worker");
        Assert.Equal("3", Text(workers, "spec", "replicas"));
        var node = Container(workers);
        Assert.Equal($"fanout/node-samples:{version}", Text(node, "image"));
        Assert.Equal("/health/ready", Text(node, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/health/live", Text(node, "livenessProbe", "httpGet", "path"));
        Assert.Equal("/health/live", Text(node, "startupProbe", "httpGet", "path"));
        Assert.True(Get(node, "lifecycle", "preStop") is YamlMappingNode, "the worker container has no lifecycle.preStop hook");
        var grace = int.Parse(Text(workers, "spec", "template", "spec", "terminationGracePeriodSeconds"), CultureInfo.InvariantCulture);
        Assert.InRange(grace, 30, 120);
        Assert.Equal("fanout-config", Text(Assert.Single(Items(Get(node, "envFrom"))), "configMapRef", "name"));
        Assert.Equal("status.podIP", Text(EnvEntry(node, "CLUSTER_PUBLIC_HOSTNAME"), "valueFrom", "fieldRef", "fieldPath"));
        var workerDb = SecretRef(node, "FANOUT_CONNECTION_STRING");
        Assert.Matches("^fanout-db(-[a-z0-9]{10})?$", workerDb.Name);
        Assert.Equal("connection-string", workerDb.Key);

        // The API tokens: files from the generated Secret, named by the ConfigMap.
        var api = Find(objects, "Secret", "fanout-api");
        Assert.Equal(["token", "viewer-token"], Names(Get(api, "data")).Order(StringComparer.Ordinal));
        Assert.Equal($"token-{KustomizeTree.Sentinel}", Decode(Text(api, "data", "token")));
        var tokens = Volumes(workers).Single(v => Get(v, "secret", "secretName") is YamlScalarNode n && n.Value == Text(api, "metadata", "name"));
        var tokenFolder = Text(Items(Get(node, "volumeMounts")).Single(m => Text(m, "name") == Text(tokens, "name")), "mountPath");
        Assert.Equal($"{tokenFolder}/token", Text(config, "data", "FANOUT_API_TOKEN_FILE"));
        Assert.Equal($"{tokenFolder}/viewer-token", Text(config, "data", "FANOUT_API_VIEWER_TOKEN_FILE"));

        var migrate = Find(objects, "Job", "fanout-migrate");
        var job = Container(migrate);
        Assert.Equal($"fanout/node:{version}", Text(job, "image"));
        Assert.Equal(["migrate"], Items(Get(job, "args")).Select(Scalar));
        var ownerDb = SecretRef(job, "FANOUT_CONNECTION_STRING");
        Assert.Matches("^fanout-db-owner(-[a-z0-9]{10})?$", ownerDb.Name);
        Assert.NotEqual(workerDb.Name, ownerDb.Name);
        Assert.Equal("OnFailure", Text(migrate, "spec", "template", "spec", "restartPolicy"));

        var service = Find(objects, "Service", "fanout-api");
        Assert.Equal("worker", Text(service, "spec", "selector", "app.kubernetes.io/component"));
        Assert.Equal("http", Text(Items(Get(service, "spec", "ports")).Single(), "targetPort"));
    }

    private static void AssertRunsAsNonRoot(YamlNode workload)
    {
        var security = Get(workload, "spec", "template", "spec", "securityContext");
        Assert.True(Get(security, "runAsNonRoot") is YamlScalarNode { Value: "true" },
            $"{Text(workload, "kind")} {Text(workload, "metadata", "name")}: its pod's securityContext does not say runAsNonRoot: true");
        Assert.NotEqual("0", Text(security, "runAsUser"));
    }

    /// <summary>The object of that kind whose name is <paramref name="name"/>, or <paramref name="name"/> plus a generator's hash.</summary>
    private static YamlNode Find(IEnumerable<YamlNode> objects, string kind, string name) =>
        objects.SingleOrDefault(o => Text(o, "kind") == kind && System.Text.RegularExpressions.Regex.IsMatch(
            Text(o, "metadata", "name"), $"^{System.Text.RegularExpressions.Regex.Escape(name)}(-[a-z0-9]{{10}})?$"))
        ?? throw new Xunit.Sdk.XunitException($"no {kind} named {name} in the rendered objects");

    private static YamlNode Container(YamlNode workload) => Assert.Single(Items(Get(workload, "spec", "template", "spec", "containers")));

    private static IEnumerable<YamlNode> Volumes(YamlNode workload) => Items(Get(workload, "spec", "template", "spec", "volumes"));

    private static YamlNode EnvEntry(YamlNode container, string name) =>
        Items(Get(container, "env")).SingleOrDefault(e => Text(e, "name") == name)
        ?? throw new Xunit.Sdk.XunitException($"the container sets no {name}");

    private static (string Name, string Key) SecretRef(YamlNode container, string variable)
    {
        var reference = Get(EnvEntry(container, variable), "valueFrom", "secretKeyRef");
        return (Text(reference, "name"), Text(reference, "key"));
    }

    private static string SecretValue(IReadOnlyList<YamlNode> objects, (string Name, string Key) reference)
    {
        var secret = objects.SingleOrDefault(o => Text(o, "kind") == "Secret" && Text(o, "metadata", "name") == reference.Name)
                     ?? throw new Xunit.Sdk.XunitException($"the Secret {reference.Name} that a container reads is not rendered");
        return Decode(Text(secret, "data", reference.Key));
    }

    private static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64));
}
