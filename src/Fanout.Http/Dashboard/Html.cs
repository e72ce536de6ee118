using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Fanout.Dashboard;

/// <summary>
/// Builds an HTML document where every piece of text and every attribute value is encoded on the way in: user data
/// (run ids, task names, groups, errors, previews) can only ever be text. Markup comes only from the literal tag and
/// attribute names the pages pass. The pages name their own routes by site path (<c>/ui/runs</c>); the attributes that hold
/// a URL (<see cref="UrlAttributes"/>) are written under the host's <see cref="PublicPath"/> here, in one place, so no
/// link, form or asset of any page can miss the prefix of a proxy's sub-path.
/// </summary>
internal sealed class Html
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    /// <summary>Links, forms, assets, and the actions table's own address (<c>data-fragment</c>), which the script fetches.</summary>
    private static readonly HashSet<string> UrlAttributes = new(StringComparer.Ordinal) { "href", "src", "action", "data-fragment" };

    private readonly StringBuilder _out = new(8 * 1024);
    private readonly PublicPath _path;

    /// <summary>A document whose URLs are site paths as they are (no proxy sub-path).</summary>
    public Html() : this(PublicPath.None)
    {
    }

    /// <summary>A document whose URL attributes are written under <paramref name="path"/>.</summary>
    public Html(PublicPath path) => _path = path;

    /// <summary>Opens <c>&lt;tag a="v" ...&gt;</c>; attributes come as name/value pairs, a null value leaves the attribute out.</summary>
    public Html Open(string tag, params string?[] attributes)
    {
        _out.Append('<').Append(tag);
        for (var i = 0; i + 1 < attributes.Length; i += 2)
        {
            if (attributes[i + 1] is not { } value) continue;
            if (UrlAttributes.Contains(attributes[i]!)) value = _path.To(value);
            _out.Append(' ').Append(attributes[i]);
            // A boolean attribute (hidden, open, selected) is passed with the value "".
            if (value.Length > 0) _out.Append("=\"").Append(Encoder.Encode(value)).Append('"');
        }
        _out.Append('>');
        return this;
    }

    public Html Close(string tag)
    {
        _out.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>An element holding only text: <c>&lt;tag ...&gt;text&lt;/tag&gt;</c>.</summary>
    public Html Element(string tag, string? text, params string?[] attributes) => Open(tag, attributes).Text(text).Close(tag);

    /// <summary>A void element such as <c>input</c> or <c>link</c>.</summary>
    public Html Void(string tag, params string?[] attributes) => Open(tag, attributes);

    public Html Text(string? text)
    {
        if (!string.IsNullOrEmpty(text)) _out.Append(Encoder.Encode(text));
        return this;
    }

    public Html Number(long value) => Text(value.ToString("N0", CultureInfo.InvariantCulture));

    /// <summary>A moment as <c>&lt;time&gt;</c> in UTC, or a dash when there is none.</summary>
    public Html Time(DateTimeOffset? at, string? id = null) => at is { } value
        ? Element("time", value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            "id", id, "datetime", value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))
        : Element("span", "-", "id", id);

    /// <summary>The doctype, for the layout only.</summary>
    public Html Doctype()
    {
        _out.Append("<!DOCTYPE html>");
        return this;
    }

    public override string ToString() => _out.ToString();
}
