namespace InfraDiff.Sections.Docker;

/// <summary>What the <c>docker</c> section means: the engine's containers, images, networks and volumes.</summary>
internal sealed class DockerSection : SectionDescriptor
{
    public const string SectionName = "docker";

    public static DockerSection Instance { get; } = new();

    private DockerSection()
        : base(SectionName)
    {
        Nouns = [new("containers", "container") { EcsField = "container.name" }, new("images", "image") { EcsField = "container.image.name" }, new("networks", "docker network"), new("volumes", "volume")];
        SeverityRules =
        [
            // A privileged container is root on the host.
            SeverityRule.Of("/docker/containers/*/privileged", Severity.Critical, [], "new == true"),
            SeverityRule.Of("/docker/containers/*", Severity.Critical, [ChangeKind.Add], "new.privileged == true"),
            SeverityRule.Of("/docker/containers/*/capAdd", Severity.High),
            SeverityRule.Of("/docker", Severity.Medium),
        ];
    }
}
