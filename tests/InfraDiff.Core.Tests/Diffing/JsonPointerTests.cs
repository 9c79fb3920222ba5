namespace InfraDiff.Tests.Diffing;

public sealed class JsonPointerTests
{
    [Theory]
    [InlineData("/etc/passwd", "~1etc~1passwd")]
    [InlineData("a~b", "a~0b")]
    [InlineData("~1", "~01")]
    [InlineData("", "")]
    [InlineData("plain", "plain")]
    public void Escapes_tilde_and_slash(string key, string escaped) => Assert.Equal(escaped, JsonPointer.Escape(key));

    [Fact]
    public void Parses_back_what_it_escapes_including_the_empty_key()
    {
        var keys = new[] { "files", "/etc/passwd", "~01", "", "a b" };
        var pointer = keys.Aggregate("", JsonPointer.Append);

        Assert.Equal("/files/~1etc~1passwd/~001//a b", pointer);
        Assert.Equal(keys, JsonPointer.Parse(pointer));
        Assert.Empty(JsonPointer.Parse(""));
    }

    [Fact]
    public void Rejects_a_pointer_without_a_leading_slash() => Assert.Throws<FormatException>(() => JsonPointer.Parse("users"));
}

public sealed class PointerGlobTests
{
    [Theory]
    [InlineData("/packages/*/version", "/packages/openssl/version", true)]
    [InlineData("/packages/*/version", "/packages/openssl/architecture", false)]
    [InlineData("/packages/*", "/packages/openssl/version", true)]
    [InlineData("/files/~1var~1log~1**", "/files/~1var~1log~1apt~1history.log/sha256", true)]
    [InlineData("/files/~1var~1log~1**", "/files/~1var~1lib~1x", false)]
    [InlineData("/users", "/users2/x", false)]
    [InlineData("/**/mode", "/files/~1bin~1su/mode", true)]
    [InlineData("/a.b", "/aXb", false)]
    public void Matches_a_path_or_anything_beneath_it(string pattern, string path, bool matches) =>
        Assert.Equal(matches, new PointerGlob(pattern).Matches(path));

    [Fact]
    public void Rejects_a_pattern_that_is_not_a_pointer() => Assert.Throws<FormatException>(() => new PointerGlob("packages/*"));
}
